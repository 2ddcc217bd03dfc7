// Offline ranking check: the real ingest pipeline (normalise, chunk, embed with the local embedding twin) into an
// in-memory SQLite with the documents migrations (FTS5 BM25, as D1 runs it) and an exact cosine store (as the
// Vectorize twin scores), then the real retrieve() per mode, scored like `npm run bench:retrieval` (nDCG@10 over the
// documents of topK 100 chunks, recall@100 over the documents of all 100). No mesh, no latency: a quick way (seconds) to
// compare ranking changes; the mesh benchmark gives the same nDCG. `--weight` overrides the local keyword weight.
// `--all` (`npm run bench:ranking`) runs every set the ranking target is measured on: the generated set, the
// abstracts, and the held-out sets held-out.mjs builds from this machine's npm READMEs, manual pages (sections 1, 2,
// 3, 5, 7 and 8), Debian and Python package descriptions and the Python standard library's docstrings, then prints
// hybrid over BM25 for each and the lowest. A set the machine has nothing for is left out.
// Usage (Node 22 transforms the TypeScript it imports):
//   npx node --experimental-transform-types --no-warnings scripts/bench/retrieval/offline.mjs [--dataset DIR | --all]
//     [--docs N] [--queries N] [--weight 0.55]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { context } from "../../../shared/src/ai/testing.ts";
import { applyMigrations, d1OverSqlite, openSqlite } from "../../../shared/src/testing/sqlite.ts";
import { embed } from "../../../services/local-cloud/src/ai/embed.ts";
import { processDocuments } from "../../../services/ingest/src/pipeline.ts";
import { retrieve } from "../../../services/search/src/retrieve.ts";
import { fusionKeywordWeight } from "../../../services/search/src/fuse.ts";
import { args, generateDataset, loadBeir, ndcgAt } from "../../bench-retrieval.mjs";

const docs = Number(args.docs ?? 5000);
const keywordWeight = args.weight === undefined ? fusionKeywordWeight("development") : Number(args.weight);
const queryCount = Number(args.queries ?? 100_000);
const generated = () => generateDataset({ docs, queries: Number(args.queries ?? 400), seed: 42 });
// The pipeline's AI calls log a line each: keep them off the report.
console.log = () => {};
const print = (line) => process.stdout.write(line + "\n");

/** Exact cosine over every stored vector of the namespace, best first (what the Vectorize twin returns). */
function vectorStore() {
  const rows = new Map();
  return {
    async upsert(vectors) {
      for (const v of vectors) rows.set(v.id, Float32Array.from(v.values));
      return { mutationId: "m" };
    },
    async deleteByIds(ids) {
      for (const id of ids) rows.delete(id);
      return { mutationId: "m" };
    },
    async query(vector, { topK }) {
      let norm = 0;
      for (const x of vector) norm += x * x;
      norm = Math.sqrt(norm) || 1;
      const scored = [];
      for (const [id, values] of rows) {
        let dot = 0;
        let own = 0;
        for (let i = 0; i < values.length; i++) {
          dot += values[i] * vector[i];
          own += values[i] * values[i];
        }
        scored.push({ id, score: dot / norm / (Math.sqrt(own) || 1) });
      }
      scored.sort((a, b) => b.score - a.score);
      return { matches: scored.slice(0, topK), count: Math.min(topK, scored.length) };
    },
  };
}

/** Ingests `dataset` into a database of its own, prints each mode's figures and returns their nDCG@10 by mode. */
async function rank(name, dataset) {
  const corpus = dataset.corpus.slice(0, docs);
  const queries = dataset.queries.slice(0, queryCount);
  const sqlite = await openSqlite();
  await applyMigrations(sqlite, "services/ingest/migrations");
  const db = d1OverSqlite(sqlite);
  const index = vectorStore();
  const ai = { run: async (_model, inputs) => embed(inputs, 768) };
  const ctx = context({ id: "bench", rag: { chunkSize: 800, chunkOverlap: 100, topK: 5 } });
  ctx.tenantId = "bench";

  let started = performance.now();
  for (let i = 0; i < corpus.length; i += 100) {
    const group = corpus.slice(i, i + 100).map((d, j) => ({ id: String(d._id), title: d.title || undefined, text: d.text, contentType: "text/plain", metadata: {}, index: j }));
    await processDocuments({ db, index, ai }, ctx, group);
  }
  print(`${name}: ${corpus.length} documents, ${queries.length} queries, ingested in ${((performance.now() - started) / 1000).toFixed(1)} s; keyword weight ${keywordWeight}`);

  const relevance = new Map();
  for (const [q, doc, score] of dataset.qrels) {
    if (!relevance.has(String(q))) relevance.set(String(q), new Map());
    if (score > 0) relevance.get(String(q)).set(String(doc), score);
  }
  const figures = {};
  for (const mode of ["keyword", "semantic", "hybrid"]) {
    started = performance.now();
    let ndcg = 0;
    let recall = 0;
    const types = new Map();
    for (const q of queries) {
      const result = await retrieve({ db, index, ai, keywordWeight }, ctx, { query: q.text, topK: 100, mode });
      const ranked = [...new Set(result.chunks.map((c) => c.docId))];
      const relevant = relevance.get(String(q._id)) ?? new Map();
      const score = ndcgAt(10, ranked, relevant);
      ndcg += score;
      recall += relevant.size === 0 ? 0 : ranked.filter((d) => relevant.has(d)).length / relevant.size;
      const type = q.metadata?.type;
      if (type) types.set(type, [...(types.get(type) ?? []), score]);
    }
    ndcg /= queries.length;
    figures[mode] = ndcg;
    const byType = [...types].map(([t, s]) => `${t} ${(s.reduce((a, b) => a + b, 0) / s.length).toFixed(3)}`).join(", ");
    print(`${mode.padEnd(8)} nDCG@10 ${ndcg.toFixed(4)}  x${(ndcg / figures.keyword).toFixed(3)}  recall@100 ${(recall / queries.length).toFixed(4)}  (${((performance.now() - started) / 1000).toFixed(1)} s)${byType ? `  ${byType}` : ""}`);
  }
  return figures;
}

/** The held-out sets: this machine's npm READMEs, manual pages by section, package descriptions, Python docstrings. */
function heldOutSets(dir) {
  const manPages = ["1", "2", "3", "5", "7", "8"].map((n) => [`man pages (${n})`, "man", "--section", n]);
  const sets = [["npm READMEs", "npm"], ...manPages, ["Debian packages", "dpkg"], ["Python packages", "python"], ["Python docstrings", "pydoc"]];
  return sets.map(([name, source, ...flags]) => {
    const out = join(dir, name);
    execFileSync(process.execPath, [new URL("held-out.mjs", import.meta.url).pathname, out, "--source", source, ...flags], { stdio: "ignore" });
    return [name, out];
  });
}

if (args.all !== "true") {
  await rank(args.dataset ?? "generated", args.dataset ? loadBeir(args.dataset) : generated());
} else {
  const work = mkdtempSync(join(tmpdir(), "ranking-"));
  try {
    const sets = [["generated", null], ["abstracts", new URL("abstracts", import.meta.url).pathname], ...heldOutSets(work)];
    const rows = [];
    for (const [name, dir] of sets) {
      const dataset = dir ? loadBeir(dir) : generated();
      if (dataset.queries.length === 0) continue;
      rows.push({ name, ...(await rank(name, dataset)) });
      print("");
    }
    print(`hybrid nDCG@10 over BM25 (target: at least 1.02 on every set; keyword weight ${keywordWeight})`);
    for (const r of rows) print(`  ${r.name.padEnd(18)} BM25 ${r.keyword.toFixed(4)}  semantic ${r.semantic.toFixed(4)}  hybrid ${r.hybrid.toFixed(4)}  x${(r.hybrid / r.keyword).toFixed(3)}`);
    const lowest = rows.reduce((a, b) => (b.hybrid / b.keyword < a.hybrid / a.keyword ? b : a));
    print(`lowest: ${lowest.name} x${(lowest.hybrid / lowest.keyword).toFixed(3)} (${rows.filter((r) => r.hybrid >= 1.02 * r.keyword).length} of ${rows.length} sets at 1.02 or more)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
