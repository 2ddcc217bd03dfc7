// `npm run bench:retrieval`: retrieval quality (nDCG@10 for keyword, semantic, hybrid and hybrid + rerank), ingest
// throughput and retrieve latency over a BEIR-style dataset, through the gateway of a mesh of its own.
//
// The dataset is generated (deterministic, seeded) from the vocabulary in scripts/bench/retrieval/topics.json: 5,000
// abstract-sized documents (140-320 words, about two chunks each) about fictional subjects, questions written from
// them (some with misspelt names), graded relevance. `--dataset DIR` runs a BEIR folder instead (corpus.jsonl,
// queries.jsonl, qrels/test.tsv; TREC-style "query 0 doc score" qrels lines work too), for example the hand-written
// scripts/bench/retrieval/abstracts (241 abstracts in many fields, 193 natural questions labelled by how their
// wording differs from the documents) or a held-out set built by scripts/bench/retrieval/held-out.mjs (npm READMEs or
// manual pages, queried by their one-line descriptions).
// Locally the embeddings are the twin's lexical vectors, so the numbers measure the pipeline, not a model.
// It runs as its own tenant, bench-retrieval, created through the admin API with the development operator key (demo's
// config, without its rate limit in the way).
// Flags: --docs N --queries N --seed N --dataset DIR; --batch N (500) and --in-flight N (2) shape the bulk ingest
// (docs/ingest.md), --ingest-only stops after it; --keep keeps the work folder (dataset, mesh state and log).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processTree, ROOT, startMesh } from "./mesh.mjs";
import { createApi, DEV_OPERATOR_KEY } from "./tenants/api.mjs";
import { mulberry32 } from "./random.mjs";

// The command line's --name value flags (a flag without a value is "true"); offline.mjs reads the same ones.
export const args = Object.fromEntries(
  process.argv.slice(2).flatMap((a, i, all) => (a.startsWith("--") ? [[a.slice(2), all[i + 1]?.startsWith("--") || all[i + 1] === undefined ? "true" : all[i + 1]]] : [])),
);
const DOCS = Number(args.docs ?? 5000);
const QUERIES = Number(args.queries ?? 400);
const SEED = Number(args.seed ?? 42);
// The bulk path (docs/ingest.md): the largest batch the API takes, two requests in flight, jobs awaited by long-poll.
const BATCH = Number(args.batch ?? 500);
const IN_FLIGHT = Number(args["in-flight"] ?? 2);
const WAIT_S = 20;
const K = 10;
// The benchmark's tenant, created at runtime like any deployed tenant (docs/api.md): demo's config with a rate limit
// its sequential requests cannot reach (400 queries x 4 modes x 2 passes, ~100 a second, exceed demo's 6,000 a minute).
const TENANT = "bench-retrieval";
// Its key's authorization header is added once the tenant exists.
const HEADERS = { "content-type": "application/json" };

// ---- dataset -------------------------------------------------------------------------------------------------


export function generateDataset({ docs = DOCS, queries = QUERIES, seed = SEED } = {}) {
  const vocab = JSON.parse(readFileSync(join(ROOT, "scripts", "bench", "retrieval", "topics.json"), "utf8"));
  const rand = mulberry32(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const cap = (text) => text[0].toUpperCase() + text.slice(1);
  const sample = (list, n) => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  };
  const topics = vocab.topics;
  const perTopic = Math.ceil(docs / topics.length);
  const entitiesPerTopic = Math.max(1, Math.ceil(perTopic / 2.5));
  const used = new Set();
  const name = () => {
    for (;;) {
      const n = Array.from({ length: 2 + Math.floor(rand() * 2) }, () => pick(vocab.syllables)).join("");
      const cap = n[0].toUpperCase() + n.slice(1);
      if (!used.has(cap)) {
        used.add(cap);
        return cap;
      }
    }
  };
  const entities = topics.map(() => Array.from({ length: entitiesPerTopic }, name));

  const corpus = [];
  for (let i = 0; i < docs; i++) {
    const t = i % topics.length;
    const topic = topics[t];
    const j = Math.floor(i / topics.length);
    const e = j % entitiesPerTopic;
    const entity = entities[t][e];
    const aspect = topic.aspects[(Math.floor(j / entitiesPerTopic) + e) % topic.aspects.length];
    const terms = sample(topic.terms, 9);
    const region = pick(vocab.regions);
    const year = 1950 + Math.floor(rand() * 70);
    const n = 3 + Math.floor(rand() * 40);
    const value = (rand() * 90 + 5).toFixed(1);
    // Several phrasings per sentence, so documents share less boilerplate than one template would give them.
    const text = [
      pick([`${entity} is a ${topic.kind} in ${region}, first described in ${year}.`, `Located in ${region}, ${entity} has been known as a ${topic.kind} since ${year}.`, `First recorded in ${year}, the ${topic.kind} ${entity} lies in ${region}.`]),
      pick([`This study of ${aspect} examines ${terms[0]} and ${terms[1]} across ${n} field seasons.`, `Over ${n} seasons we followed ${terms[0]} together with ${terms[1]} to understand ${aspect}.`, `Our work on ${aspect} combines ${n} years of ${terms[0]} records with new ${terms[1]} data.`]),
      pick([`Measurements show that ${terms[2]} increases with ${terms[3]}, while ${terms[4]} remains stable.`, `${cap(terms[2])} rose wherever ${terms[3]} was higher; ${terms[4]} hardly changed.`, `A clear link appears between ${terms[3]} and ${terms[2]}, whereas ${terms[4]} shows no trend.`]),
      pick([`The ${terms[5]} of ${entity} differs from comparable sites because of its ${terms[6]}.`, `Unlike its neighbours, ${entity} stands out for its ${terms[5]}, which we attribute to ${terms[6]}.`, `${cap(terms[6])} explains why ${terms[5]} at ${entity} departs from the regional pattern.`]),
      pick([`We report a ${terms[7]} value of ${value} and compare it with earlier surveys of ${region}.`, `${cap(terms[7])} reached ${value}, above most published figures for ${region}.`, `The measured ${terms[7]} of ${value} is discussed against older data from ${region}.`]),
      pick([`The results suggest that ${aspect} at ${entity} is driven mainly by ${terms[8]} and ${terms[2]}.`, `Overall, ${terms[8]} and ${terms[2]} appear to control ${aspect} at ${entity}.`, `We conclude that ${aspect} at ${entity} depends first on ${terms[8]}, then on ${terms[2]}.`]),
      pick([`Earlier accounts linked ${terms[6]} to ${terms[1]}, but the new observations do not support that view.`, `Previous work tied ${terms[1]} to ${terms[6]}; our records point elsewhere.`, `The assumed role of ${terms[6]} in ${terms[1]} is not confirmed here.`]),
      pick([`Further monitoring of ${terms[0]} is recommended before management decisions are taken.`, `Continued ${terms[0]} observations should guide future management.`, `Long-term ${terms[0]} monitoring remains the main open need.`]),
      // Methods and discussion, 4 to 14 sentences (abstracts of 140-320 words, about two chunks each), half of them
      // naming the subject, as the sentences above do.
      ...Array.from({ length: 4 + Math.floor(rand() * 11) }, () => {
        const [a, b, c] = sample(terms, 3);
        return pick([
          `Samples were collected at ${n + 2} stations across ${entity} between ${year} and ${year + n}.`,
          `Seasonal variation in ${a} was small compared with the differences between sites.`,
          `Standard protocols were used to measure ${a} and ${b} at ${entity} on each visit.`,
          `Data from ${n} earlier reports were combined with our own observations of ${a}.`,
          `At ${entity}, the relationship between ${a} and ${b} held after controlling for ${c}.`,
          `Statistical models explained about ${Math.round(Number(value) * 0.9)} percent of the variance in ${a}.`,
          `Local observers at ${entity} helped to interpret the patterns seen in ${a} and ${c}.`,
          `No evidence was found that ${a} affects ${b} directly.`,
          `These findings matter for how ${aspect} is assessed elsewhere in ${region}.`,
          `Uncertainty in the ${a} estimates for ${entity} remains large for the earliest years.`,
          `Comparable ${topic.kind} sites showed weaker links between ${a} and ${b} than ${entity} did.`,
          `Sampling effort was highest in the dry months, when ${c} could be reached most easily.`,
        ]);
      }),
    ].join(" ");
    corpus.push({ _id: `d${i}`, title: `${entity} ${topic.kind}: ${aspect}`, text, entity, aspect, terms, region, kind: topic.kind });
  }

  const byEntity = new Map();
  for (const d of corpus) byEntity.set(d.entity, [...(byEntity.get(d.entity) ?? []), d._id]);
  const typo = (word) => {
    const i = 1 + Math.floor(rand() * (word.length - 2));
    return rand() < 0.5 ? word.slice(0, i) + word.slice(i + 1) : word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  };
  const queryList = [];
  const qrels = [];
  // Query types: half name the subject correctly, a quarter describe it without its name, a quarter misspell the name.
  for (const [q, d] of sample(corpus, Math.min(queries, corpus.length)).entries()) {
    const roll = rand();
    const type = roll < 0.5 ? "named" : roll < 0.75 ? "descriptive" : "misspelt";
    const entity = type === "misspelt" ? typo(d.entity) : d.entity;
    const text =
      type === "descriptive"
        ? `${d.kind} in ${d.region}: ${d.terms[0]}, ${d.terms[5]} and ${d.aspect}`
        : rand() < 0.5
          ? `${d.aspect} of the ${entity} ${d.kind}`
          : `how does ${d.terms[2]} relate to ${d.terms[3]} at ${entity}`;
    queryList.push({ _id: `q${q}`, text, metadata: { type } });
    for (const other of byEntity.get(d.entity)) qrels.push([`q${q}`, other, other === d._id ? 2 : 1]);
  }
  return { corpus: corpus.map(({ _id, title, text }) => ({ _id, title, text })), queries: queryList, qrels };
}

export function loadBeir(dir) {
  const lines = (file) => readFileSync(join(dir, file), "utf8").split("\n").filter((l) => l.trim());
  const corpus = lines("corpus.jsonl").map((l) => JSON.parse(l)).slice(0, DOCS);
  const ids = new Set(corpus.map((d) => String(d._id)));
  const qrels = lines(join("qrels", "test.tsv"))
    .map((l) => l.trim().split(/\s+/))
    .map((cols) => (cols.length >= 4 ? [cols[0], cols[2], cols[3]] : cols))
    .filter(([, doc, score]) => ids.has(doc) && Number.isFinite(Number(score)))
    .map(([q, doc, score]) => [q, doc, Number(score)]);
  const judged = new Set(qrels.map(([q]) => q));
  const queries = lines("queries.jsonl").map((l) => JSON.parse(l)).filter((q) => judged.has(String(q._id))).slice(0, QUERIES);
  return { corpus, queries, qrels };
}

function writeBeir(dir, { corpus, queries, qrels }) {
  mkdirSync(join(dir, "qrels"), { recursive: true });
  writeFileSync(join(dir, "corpus.jsonl"), corpus.map((d) => JSON.stringify(d)).join("\n") + "\n");
  writeFileSync(join(dir, "queries.jsonl"), queries.map((q) => JSON.stringify(q)).join("\n") + "\n");
  writeFileSync(join(dir, "qrels", "test.tsv"), ["query-id\tcorpus-id\tscore", ...qrels.map((r) => r.join("\t"))].join("\n") + "\n");
}

// ---- metrics -------------------------------------------------------------------------------------------------

export function ndcgAt(k, ranked, relevance) {
  const gain = (rel) => (2 ** rel - 1);
  const dcg = ranked.slice(0, k).reduce((sum, id, i) => sum + gain(relevance.get(id) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...relevance.values()].sort((a, b) => b - a).slice(0, k).reduce((sum, rel, i) => sum + gain(rel) / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

const MODES = [["keyword (BM25)", { mode: "keyword" }], ["semantic", { mode: "semantic" }], ["hybrid", { mode: "hybrid" }], ["hybrid + rerank", { mode: "hybrid", rerank: true }]];
/**
 * Sequential calls on a retrieve's critical path in production (services/search/src/retrieve.ts): keyword is one
 * D1 statement (the match with its rows); semantic embeds the query, queries Vectorize, then reads the winners'
 * rows from D1; hybrid runs its D1 matches (with feedback) beside the embedding and Vectorize, then reads the rows;
 * the reranker adds one call.
 */
const ROUND_TRIPS = { "keyword (BM25)": 1, semantic: 3, hybrid: 3, "hybrid + rerank": 4 };

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// ---- run -----------------------------------------------------------------------------------------------------

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

async function post(url, path, body, timings) {
  const response = await fetch(`${url}${path}`, { method: "POST", headers: HEADERS, body: JSON.stringify(body) });
  const json = await response.json();
  if (!json.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(json.error)}`);
  const gateway = gatewayMs(response);
  if (timings && gateway !== undefined) timings.push(gateway);
  return json.data;
}

/** The gateway's own time (Server-Timing), without the client and the local runner. */
function gatewayMs(response) {
  const found = /gateway;dur=(\d+(?:\.\d+)?)/.exec(response.headers.get("server-timing") ?? "");
  return found ? Number(found[1]) : undefined;
}

/**
 * The mesh's processes (the runner and its workerd) from /proc: resident memory in KiB, and the CPU seconds (user +
 * system) used so far. Less noisy than wall time, but not immune: on a shared VM it rises in the slow phases too.
 */
function meshUsage(pid) {
  let rssKib = 0;
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      rssKib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
      const fields = readFileSync(`/proc/${p}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone, or no /proc (not Linux)
    }
  }
  return { rssKib, cpuSeconds: ticks / 100 };
}

/** Creates (or updates) the benchmark's tenant from demo's config and returns a new key for it. */
async function benchTenantKey(url) {
  const api = createApi({ url, key: DEV_OPERATOR_KEY });
  const demo = JSON.parse(readFileSync(join(ROOT, "tenants", "demo", "tenant.json"), "utf8"));
  await api.putTenant(TENANT, { ...demo, id: TENANT, name: "Retrieval benchmark", hosts: [`${TENANT}.localhost`], limits: { ...demo.limits, requestsPerMinute: 1_000_000, burst: 100_000 } });
  return (await api.createKey(TENANT, { name: "bench", scopes: ["search", "ingest"] })).key;
}

/** The tenant's chunks, summed over GET /v1/documents. */
async function chunkCount(url) {
  let chunks = 0;
  for (let cursor = ""; ; ) {
    const response = await fetch(`${url}/v1/documents?limit=100${cursor && `&cursor=${encodeURIComponent(cursor)}`}`, { headers: HEADERS });
    const { data } = await response.json();
    chunks += data.documents.reduce((sum, d) => sum + d.chunks, 0);
    if (!data.nextCursor) return chunks;
    cursor = data.nextCursor;
  }
}

/** Waits for a job by long-poll (GET /v1/ingest/:jobId?wait=N answers once the job ends or N seconds pass). */
async function awaitJob(url, jobId) {
  for (;;) {
    const response = await fetch(`${url}/v1/ingest/${jobId}?wait=${WAIT_S}`, { headers: HEADERS });
    const json = await response.json();
    if (!json.ok) throw new Error(`job ${jobId} answered ${response.status}: ${JSON.stringify(json.error)}`);
    if (json.data.status !== "queued" && json.data.status !== "processing") return json.data;
  }
}

/** Ingests `corpus` in batches of BATCH, IN_FLIGHT requests at once, each waiting for its job before the next. */
export async function ingestCorpus(url, corpus, meshPid) {
  const batches = [];
  for (let i = 0; i < corpus.length; i += BATCH) {
    batches.push(corpus.slice(i, i + BATCH).map((d) => ({ id: String(d._id), title: d.title || undefined, text: d.text, contentType: "text/plain" })));
  }
  const memory = [];
  const sample = () => meshPid !== undefined && memory.push(meshUsage(meshPid).rssKib);
  sample();
  const cpuBefore = meshPid === undefined ? 0 : meshUsage(meshPid).cpuSeconds;
  const started = performance.now();
  const counts = { indexed: 0, unchanged: 0, rejected: 0, failed: 0 };
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        const accepted = await post(url, "/v1/ingest", { documents: batch });
        const job = accepted.mode === "sync" ? accepted : await awaitJob(url, accepted.jobId);
        for (const key of Object.keys(counts)) counts[key] += job.counts[key];
        sample();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = meshPid === undefined ? NaN : meshUsage(meshPid).cpuSeconds - cpuBefore;
  return { seconds, counts, memory, cpuSeconds };
}

/**
 * One mode over every query, twice: topK 100 for quality (nDCG@10 over the first documents, recall@100 over the
 * documents of the 100 chunks: retrieve's largest topK), then topK 20 for latency at the client and at the gateway.
 * The first 20 chunks of a topK 100 answer are those of a topK 20 one (fused, both draw 100 candidates a side; one
 * side alone returns its own order).
 */
export async function evaluate(url, queries, qrels, body) {
  const relevance = new Map();
  for (const [q, doc, score] of qrels) {
    if (!relevance.has(q)) relevance.set(q, new Map());
    if (score > 0) relevance.get(q).set(doc, score);
  }
  let total = 0;
  let recall = 0;
  const byType = new Map();
  for (const q of queries) {
    const data = await post(url, "/v1/retrieve", { query: q.text, topK: 100, ...body });
    const docs = [...new Set(data.chunks.map((c) => c.docId))];
    const relevant = relevance.get(String(q._id)) ?? new Map();
    const score = ndcgAt(K, docs, relevant);
    total += score;
    recall += relevant.size === 0 ? 0 : docs.filter((d) => relevant.has(d)).length / relevant.size;
    const type = q.metadata?.type;
    if (type) byType.set(type, [...(byType.get(type) ?? []), score]);
  }
  const latencies = [];
  const gatewayLatencies = [];
  for (const q of queries) {
    const started = performance.now();
    await post(url, "/v1/retrieve", { query: q.text, topK: 20, ...body }, gatewayLatencies);
    latencies.push(performance.now() - started);
  }
  const types = Object.fromEntries([...byType].map(([type, scores]) => [type, scores.reduce((a, b) => a + b, 0) / scores.length]));
  return { ndcg: total / queries.length, recall: recall / queries.length, ...latencySummary(latencies, gatewayLatencies), types };
}

/** p50 and p95 at the client and at the gateway. */
function latencySummary(latencies, gatewayLatencies) {
  latencies.sort((a, b) => a - b);
  gatewayLatencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    gatewayP50: percentile(gatewayLatencies, 50) ?? NaN,
    gatewayP95: percentile(gatewayLatencies, 95) ?? NaN,
  };
}

/** The same number of sequential GET /health (no storage, no AI), timed like the retrieves: the local stack's own cost. */
async function healthFloor(url, n) {
  const latencies = [];
  const gatewayLatencies = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const response = await fetch(`${url}/health`);
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    const gateway = gatewayMs(response);
    if (gateway !== undefined) gatewayLatencies.push(gateway);
  }
  return latencySummary(latencies, gatewayLatencies);
}

async function main() {
  // The gateway's dev tenants are compiled from tenants/*.json (a clean clone has none yet).
  execFileSync(process.execPath, [join(ROOT, "scripts", "tenants.mjs")], { stdio: "inherit" });
  const dataset = args.dataset ? loadBeir(args.dataset) : generateDataset();
  const work = mkdtempSync(join(tmpdir(), "bench-retrieval-"));
  if (!args.dataset) writeBeir(join(work, "dataset"), dataset);
  const avgChars = Math.round(dataset.corpus.reduce((s, d) => s + d.text.length, 0) / dataset.corpus.length);
  console.log(`dataset: ${args.dataset ?? "generated (seed " + SEED + ", BEIR files in " + join(work, "dataset") + ")"}`);
  console.log(`  ${dataset.corpus.length} documents (${avgChars} characters on average), ${dataset.queries.length} queries, ${dataset.qrels.length} judgements`);
  console.log("starting the mesh ...");
  const mesh = await startMesh({ port: await freePort(), persistTo: join(work, "state"), timeoutMs: 120_000, logFile: join(work, "mesh.log") });
  try {
    HEADERS.authorization = `Bearer ${await benchTenantKey(mesh.url)}`;
    const ingest = await ingestCorpus(mesh.url, dataset.corpus, mesh.child.pid);
    console.log(`\ningest: ${dataset.corpus.length} documents in ${ingest.seconds.toFixed(1)} s = ${(dataset.corpus.length / ingest.seconds).toFixed(0)} docs/s, job completion included`);
    console.log(`  ${await chunkCount(mesh.url)} chunks; ${JSON.stringify(ingest.counts)}; batches of ${BATCH}, ${IN_FLIGHT} requests in flight, jobs awaited by long-poll (?wait=${WAIT_S})`);
    console.log(`  mesh CPU: ${ingest.cpuSeconds.toFixed(1)} s = ${((ingest.cpuSeconds * 1000) / dataset.corpus.length).toFixed(2)} ms a document (user + system, all mesh processes)`);
    const mib = (kib) => (kib / 1024).toFixed(0);
    if (ingest.memory.length > 1) {
      const m = ingest.memory;
      console.log(`  mesh memory (RSS, MiB) before, then after each batch: ${m.map(mib).join(" ")} (peak ${mib(Math.max(...m))})`);
      // The heaps grow to the batch shape first; what the second half adds is what more documents cost.
      const half = Math.floor(m.length / 2);
      const perDoc = ((m.at(-1) - m[half]) / ((m.length - 1 - half) * BATCH)).toFixed(1);
      console.log(`  second half of the batches: ${mib(m.at(-1) - m[half])} MiB more (${perDoc} KiB a document)`);
    }
    if (args["ingest-only"] === "true") return;

    for (const q of dataset.queries.slice(0, 20)) await post(mesh.url, "/v1/retrieve", { query: q.text, topK: 20 });
    const rows = [];
    for (const [label, body] of MODES) {
      const result = await evaluate(mesh.url, dataset.queries, dataset.qrels, body);
      rows.push({ label, ...result });
    }
    const keyword = rows.find((r) => r.label.startsWith("keyword"));
    console.log(`\nretrieval over ${dataset.queries.length} queries, sequential requests through the gateway: nDCG@10 over the first documents and recall@100 over`);
    console.log(`the documents of topK 100 chunks (retrieve's largest); latency of topK 20 at the client and at the gateway (Server-Timing);`);
    console.log(`round trips = sequential calls a retrieve makes in production (embedding, Vectorize, D1, reranker) on its critical path`);
    const typeNames = Object.keys(rows[0].types);
    const typeCounts = Object.fromEntries(typeNames.map((t) => [t, dataset.queries.filter((q) => q.metadata?.type === t).length]));
    const columns = ["nDCG@10", "x BM25", "R@100", "p50 ms", "p95 ms", "gw p50", "gw p95", "trips"];
    console.log(`  ${"mode".padEnd(18)}${columns.map((c) => c.padStart(9)).join("")}${typeNames.map((t) => `${t} (${typeCounts[t]})`.padStart(18)).join("")}`);
    for (const r of rows) {
      const cells = [r.ndcg.toFixed(4), (r.ndcg / keyword.ndcg).toFixed(3), r.recall.toFixed(4), r.p50.toFixed(1), r.p95.toFixed(1), r.gatewayP50.toFixed(1), r.gatewayP95.toFixed(1), String(ROUND_TRIPS[r.label])];
      console.log(`  ${r.label.padEnd(18)}${cells.map((c) => c.padStart(9)).join("")}${typeNames.map((t) => r.types[t].toFixed(4).padStart(18)).join("")}`);
    }
    const floor = await healthFloor(mesh.url, dataset.queries.length);
    console.log(`  ${"floor: GET /health".padEnd(18)}${["", "", "", floor.p50.toFixed(1), floor.p95.toFixed(1), floor.gatewayP50.toFixed(1), floor.gatewayP95.toFixed(1), "0"].map((c) => c.padStart(9)).join("")}`);
    console.log(`  (the floor: a route with no storage or AI call, i.e. what the client and the local runner cost alone)`);
    const hybrid = rows.find((r) => r.label === "hybrid");
    const single = rows.filter((r) => r.label === "keyword (BM25)" || r.label === "semantic");
    console.log(`\ntargets (reported, not asserted): hybrid p95 <= 25 ms: ${hybrid.p95 <= 25 ? "met" : "missed"} (client) / ${hybrid.gatewayP95 <= 25 ? "met" : "missed"} (gateway); ` +
      `keyword and semantic p95 <= 15 ms: ${single.every((r) => r.p95 <= 15) ? "met" : "missed"} (client) / ${single.every((r) => r.gatewayP95 <= 15) ? "met" : "missed"} (gateway); ` +
      `hybrid nDCG@10 >= 1.02 x BM25: ${hybrid.ndcg >= 1.02 * keyword.ndcg ? "met" : "missed"} (x${(hybrid.ndcg / keyword.ndcg).toFixed(3)})`);
  } finally {
    await mesh.stop();
    if (args.keep !== "true") rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
