// `npm run bench`: latency of the mesh (gateway + auth + one RPC hop) against one Worker doing the same work, then bundle sizes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundle, bundleServices, compileTenants, sizeTable } from "./deploy.mjs";
import { freePort, ROOT, startMesh } from "./mesh.mjs";

const WARMUP = 100;
const SEQUENTIAL = 500;
const CONCURRENCY = 8;
const CONCURRENT_TOTAL = 800;
const HEADERS = { authorization: "Bearer sk-dev-demo" };
const SINGLE_CONFIG = join(ROOT, "scripts", "bench", "single-worker", "wrangler.jsonc");
const DIRECT_CHAT_CONFIG = join(ROOT, "scripts", "bench", "direct-chat", "wrangler.jsonc");
const TTFT_SAMPLES = 100;
const LIMITER_REQUESTS = 2000;


/** The single-Worker fixture on the local runner; resolves once it answers. */
function startSingle(port, persistTo) {
  const isReady = async (url) => (await fetch(url, { headers: HEADERS })).ok;
  return startMesh({ port, persistTo, services: [SINGLE_CONFIG], isReady });
}

/** The chat service and what it calls, fronted by a fixture that calls its stream over RPC with no gateway. */
function startDirectChat(port, persistTo) {
  const isReady = async (url) => (await fetch(url, { method: "POST", body: JSON.stringify({ message: "ready?" }) })).ok;
  return startMesh({ port, persistTo, services: [DIRECT_CHAT_CONFIG, "chat", "search", "tools", "ingest", "local-cloud"], isReady, timeoutMs: 120_000 });
}

// The gateway announces its admission round trips: `admission;dur=<ms>;desc="<n> call"` in Server-Timing.
const admissionTimings = [];
function noteAdmission(response) {
  const match = /admission;dur=([\d.]+);desc="(\d+) call"/.exec(response.headers.get("server-timing") ?? "");
  if (match) admissionTimings.push({ ms: Number(match[1]), calls: Number(match[2]) });
}

/** Milliseconds from sending a chat until the first `message` event's bytes arrive; the rest is drained. */
async function timeToFirstToken(url, headers) {
  const started = performance.now();
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify({ message: "Explain Durable Objects in two sentences." }) });
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
  noteAdmission(response);
  const decoder = new TextDecoder();
  let seen = "";
  let first;
  for await (const chunk of response.body) {
    seen += decoder.decode(chunk, { stream: true });
    if (first === undefined && seen.includes("event: message")) first = performance.now() - started;
  }
  if (first === undefined) throw new Error(`${url} streamed no message event`);
  return first;
}

/** `total` requests at `concurrency` to a rate-limited route: decisions per second and how many were admitted. */
async function limiterDecisions(url, key, total, concurrency) {
  let issued = 0;
  const statuses = new Map();
  const started = performance.now();
  const client = async () => {
    while (issued < total) {
      issued++;
      const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
      await response.arrayBuffer();
      noteAdmission(response);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: total / seconds, admitted: statuses.get(200) ?? 0, limited: statuses.get(429) ?? 0 };
}

const quantile = (samples, q) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];

async function timedRequest({ url, headers }, samples) {
  const started = performance.now();
  const response = await fetch(url, { headers });
  const body = await response.json();
  samples?.push(performance.now() - started);
  if (response.status !== 200 || !body.ok) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** `total` requests from `concurrency` clients in parallel: their latencies and the wall time taken. */
async function run(target, total, concurrency) {
  const samples = [];
  let issued = 0;
  const started = performance.now();
  const client = async () => {
    while (issued < total) {
      issued++;
      await timedRequest(target, samples);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { samples, seconds: (performance.now() - started) / 1000 };
}

/** Runs the targets in alternating rounds (ABBA) so load from elsewhere on the machine hits them alike; sequential runs alternate every request. */
async function compare(targets, total, concurrency, rounds) {
  const runs = targets.map(() => ({ samples: [], seconds: 0 }));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...targets.keys()].reverse() : [...targets.keys()];
    for (const i of order) {
      const { samples, seconds } = await run(targets[i], total / rounds, concurrency);
      runs[i].samples.push(...samples);
      runs[i].seconds += seconds;
    }
  }
  return runs.map(({ samples, seconds }) => {
    samples.sort((a, b) => a - b);
    const at = (q) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
    return { median: at(0.5), p95: at(0.95), p99: at(0.99), rps: samples.length / seconds };
  });
}

const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

function admissionLine(what, timings) {
  if (!timings.length) return `admission (${what}): the gateway announced no admission timing`;
  const calls = timings.reduce((sum, t) => sum + t.calls, 0) / timings.length;
  const ms = timings.map((t) => t.ms);
  return `admission (${what}): ${calls.toFixed(2)} Durable Object calls per request before the first byte, median ${quantile(ms, 0.5).toFixed(2)} ms p95 ${quantile(ms, 0.95).toFixed(2)} ms (n=${timings.length})`;
}

function latencyTable(rows) {
  const header = ["run", "median ms", "p95 ms", "p99 ms", "req/s"];
  const body = rows.map(([name, r]) => [name, r.median.toFixed(2), r.p95.toFixed(2), r.p99.toFixed(2), r.rps.toFixed(0)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  return [header, ...body].map((row) => row.map((cell, i) => (i ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ")).join("\n");
}

compileTenants();
const stateDir = mkdtempSync(join(tmpdir(), "bench-"));
const running = [];
const cleanUp = async () => {
  await Promise.all(running.map((r) => r.stop()));
  rmSync(stateDir, { recursive: true, force: true });
};
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => void cleanUp().then(() => process.exit(130)));

try {
  console.log("Starting the mesh and the single Worker (loopback only)...");
  const mesh = await startMesh({ port: await freePort(), persistTo: join(stateDir, "mesh"), timeoutMs: 120_000 });
  running.push(mesh);
  const single = await startSingle(await freePort(), join(stateDir, "single"));
  running.push(single);

  const meshTarget = { url: `${mesh.url}/health?service=chat`, headers: HEADERS };
  const probe = await fetch(meshTarget.url, { headers: HEADERS }).then((r) => r.json()).catch(() => undefined);
  const perService = probe?.ok && Object.keys(probe.data?.services ?? {}).join() === "chat";
  if (!perService) {
    meshTarget.url = `${mesh.url}/health`;
    console.log("note: the gateway does not answer /health?service=chat yet; measuring /health with the key (RPC to every service) instead.");
  }
  // The floor: the same loopback path through the local runner, with no key: no auth and no RPC.
  const targets = [meshTarget, { url: `${single.url}/health?service=chat`, headers: HEADERS }, { url: `${mesh.url}/health`, headers: {} }];
  for (let i = 0; i < WARMUP; i++) await Promise.all(targets.map((target) => timedRequest(target)));
  const [meshSeq, singleSeq, floorSeq] = await compare(targets, SEQUENTIAL, 1, SEQUENTIAL);
  const [meshConc, singleConc, floorConc] = await compare(targets, CONCURRENT_TOTAL, CONCURRENCY, 8);
  console.log(`\nGET ${new URL(meshTarget.url).pathname}${new URL(meshTarget.url).search} with a key: mesh (gateway -> chat over RPC) vs one Worker doing the same in-process.`);
  console.log(`${WARMUP} warm-up requests each; sequential requests alternate between targets, concurrent ones in 8 rounds; times include the client and the local runner (scripts/mesh-runner.mjs; MESH_RUNNER=wrangler for wrangler dev).\n`);
  console.log(latencyTable([
    [`mesh   sequential (n=${SEQUENTIAL})`, meshSeq],
    [`single sequential (n=${SEQUENTIAL})`, singleSeq],
    [`floor  sequential (n=${SEQUENTIAL})`, floorSeq],
    [`mesh   concurrency ${CONCURRENCY} (n=${CONCURRENT_TOTAL})`, meshConc],
    [`single concurrency ${CONCURRENCY} (n=${CONCURRENT_TOTAL})`, singleConc],
    [`floor  concurrency ${CONCURRENCY} (n=${CONCURRENT_TOTAL})`, floorConc],
  ]));
  console.log(`\nfloor = gateway /health without a key (no auth, no RPC)`);
  console.log(`mesh/single, sequential:    median ${ratio(meshSeq.median, singleSeq.median)}, p95 ${ratio(meshSeq.p95, singleSeq.p95)}, p99 ${ratio(meshSeq.p99, singleSeq.p99)}, req/s ${ratio(meshSeq.rps, singleSeq.rps)}`);
  console.log(`mesh/single, concurrency ${CONCURRENCY}: median ${ratio(meshConc.median, singleConc.median)}, p95 ${ratio(meshConc.p95, singleConc.p95)}, p99 ${ratio(meshConc.p99, singleConc.p99)}, req/s ${ratio(meshConc.rps, singleConc.rps)}`);

  console.log("\nTime to first token: POST /v1/chat through the gateway (auth, one admission call: rate limit + budget reservation, RPC) vs the chat service's stream called directly over RPC.");
  const direct = await startDirectChat(await freePort(), join(stateDir, "direct"));
  running.push(direct);
  const viaGateway = [];
  const viaDirect = [];
  for (let i = 0; i < 10; i++) await Promise.all([timeToFirstToken(`${mesh.url}/v1/chat`, HEADERS), timeToFirstToken(direct.url, {})]);
  for (let i = 0; i < TTFT_SAMPLES; i++) {
    const pair = [() => timeToFirstToken(`${mesh.url}/v1/chat`, HEADERS).then((t) => viaGateway.push(t)), () => timeToFirstToken(direct.url, {}).then((t) => viaDirect.push(t))];
    for (const measure of i % 2 ? pair.reverse() : pair) await measure();
  }
  const ttft = (name, samples) => `${name.padEnd(10)} median ${quantile(samples, 0.5).toFixed(2)} ms  p95 ${quantile(samples, 0.95).toFixed(2)} ms`;
  console.log(`${ttft("gateway", viaGateway)}\n${ttft("direct", viaDirect)}\nratio gateway/direct (median): ${ratio(quantile(viaGateway, 0.5), quantile(viaDirect, 0.5))}  (n=${TTFT_SAMPLES} each, alternating)`);
  console.log(`gateway - direct (median): ${(quantile(viaGateway, 0.5) - quantile(viaDirect, 0.5)).toFixed(2)} ms (goal: at most 2 ms)`);
  const chatAdmissions = admissionTimings.splice(0);
  console.log(admissionLine("chats", chatAdmissions));

  console.log(`\nAdmission: ${LIMITER_REQUESTS} requests to GET /v1/usage at concurrency 16 with sk-dev-acme (60/min, 20 per 10 s), so nearly all are decided 429.`);
  const limiter = await limiterDecisions(`${mesh.url}/v1/usage`, "sk-dev-acme", LIMITER_REQUESTS, 16);
  console.log(`${limiter.perSecond.toFixed(0)} decisions/s at concurrency 16 (admitted ${limiter.admitted}, limited ${limiter.limited}); each is auth + one TenantUsage admission call + the answer`);
  console.log(admissionLine("decisions", admissionTimings.splice(0)));

  console.log("\nBundle sizes (wrangler deploy --dry-run -e production, offline):\n");
  const rows = await bundleServices("production");
  const total = rows.reduce((sum, r) => ({ service: "mesh total", raw: sum.raw + r.raw, gzip: sum.gzip + r.gzip }), { raw: 0, gzip: 0 });
  const fixture = await bundle({ config: SINGLE_CONFIG, outdir: join(stateDir, "single-dist") });
  console.log(sizeTable([...rows, total, { service: "single-worker", worker: "bench fixture", ...fixture }]));
} finally {
  await cleanUp();
}
