// Regression gates: the retrieval smoke score (mean nDCG@10 of hybrid retrieval over the judged fixture queries) must
// not fall below the floor recorded in tests/fixtures/retrieval-floor.json, and concurrent chat streams all complete,
// in order, none truncated.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { postJson, testTenant, twinOnly } from "./helpers.ts";
import { chatRequest, readEvents } from "./chat-sse.ts";
import { fixtureDocuments } from "./fixtures/corpus.ts";
import { ingestAll, retrieve } from "./fixtures/retrieval-client.ts";

const { key: KEY } = testTenant("test-regression");
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8"));
const readLines = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8").trim().split("\n");
const floor = readJson("./fixtures/retrieval-floor.json") as Record<string, { ndcgAt10: number }>;

interface JudgedSet {
  suite: string;
  documents: { id: string; title?: string; text: string; contentType?: string; metadata: Record<string, string> }[];
  queries: { query: string; relevant: Record<string, number> }[];
}

/** The help-center fixture corpus with its judged queries (document ids are `fixtures-<file name>`). */
function fixtureSet(): JudgedSet {
  const { queries } = readJson("./fixtures/retrieval-queries.json") as { queries: { query: string; relevant: Record<string, number> }[] };
  const documents = fixtureDocuments("fixtures").map((d) => ({ ...d, metadata: { suite: "fixtures" } }));
  return { suite: "fixtures", documents, queries: queries.map((q) => ({ query: q.query, relevant: Object.fromEntries(Object.entries(q.relevant).map(([name, rel]) => [`fixtures-${name}`, rel])) })) };
}

/** The bench's hand-written BEIR-style abstracts set (scripts/bench/retrieval/abstracts): 241 documents, 193 questions. */
function abstractsSet(): JudgedSet {
  const dir = "../scripts/bench/retrieval/abstracts/";
  const documents = readLines(`${dir}corpus.jsonl`).map((l) => JSON.parse(l) as { _id: string; title: string; text: string }).map((d) => ({ id: `abstracts-${d._id}`, title: d.title, text: d.text, metadata: { suite: "abstracts" } }));
  const relevant = new Map<string, Record<string, number>>();
  for (const line of readLines(`${dir}qrels/test.tsv`).slice(1)) {
    const [q, doc, score] = line.split("\t");
    relevant.set(q!, { ...relevant.get(q!), [`abstracts-${doc}`]: Number(score) });
  }
  const queries = readLines(`${dir}queries.jsonl`).map((l) => JSON.parse(l) as { _id: string; text: string }).filter((q) => relevant.has(q._id)).map((q) => ({ query: q.text, relevant: relevant.get(q._id)! }));
  return { suite: "abstracts", documents, queries };
}

/** nDCG@k with gains 2^rel - 1 over the ranked document ids (each document counted at its best chunk). */
function ndcgAt(k: number, ranked: string[], relevant: Record<string, number>): number {
  const gain = (rel: number) => 2 ** rel - 1;
  const dcg = ranked.slice(0, k).reduce((sum, doc, i) => sum + gain(relevant[doc] ?? 0) / Math.log2(i + 2), 0);
  const ideal = Object.values(relevant).sort((a, b) => b - a).slice(0, k).reduce((sum, rel, i) => sum + gain(rel) / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

async function meanNdcg(set: JudgedSet, mode: "hybrid" | "semantic" | "keyword"): Promise<number> {
  const scores: number[] = [];
  // Four at a time: fast enough on a busy machine, and no tenant limit comes near.
  for (let i = 0; i < set.queries.length; i += 4) {
    const batch = set.queries.slice(i, i + 4);
    const results = await Promise.all(batch.map((q) => retrieve({ query: q.query, topK: 20, mode, filter: { suite: set.suite } }, KEY)));
    results.forEach((res, j) => {
      expect(res.status, batch[j]!.query).toBe(200);
      scores.push(ndcgAt(10, [...new Set(res.body.data!.chunks.map((c) => c.docId))], batch[j]!.relevant));
    });
  }
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}

const SETS = [fixtureSet(), abstractsSet()];

beforeAll(async () => {
  for (const set of SETS) await ingestAll(set.documents, KEY);
}, 300_000);

twinOnly.describe("retrieval smoke gate", () => {
  it.each(SETS.map((s) => [s.suite, s] as const))("keeps hybrid nDCG@10 on the %s set at or above the recorded floor", async (name, set) => {
    const hybrid = await meanNdcg(set, "hybrid");
    // REGRESSION_ALL_MODES=1 prints each side alone too, to check that the floor separates fusion from either side.
    const sides = process.env.REGRESSION_ALL_MODES ? `, semantic ${(await meanNdcg(set, "semantic")).toFixed(4)}, keyword ${(await meanNdcg(set, "keyword")).toFixed(4)}` : "";
    console.log(`retrieval smoke (${name}): nDCG@10 hybrid ${hybrid.toFixed(4)} (floor ${floor[name]!.ndcgAt10})${sides}`);
    expect(hybrid).toBeGreaterThanOrEqual(floor[name]!.ndcgAt10);
  }, 300_000);
});

describe("streaming stability", () => {
  it("completes 8 concurrent streams, each in order and whole", async () => {
    const messages = Array.from({ length: 8 }, (_, i) => `Stream ${i}: explain how invoices and refunds relate, in a few sentences.`);
    const whole = await Promise.all(messages.map((message) => postJson("/v1/chat", { message, stream: false }, KEY)));
    const streams = await Promise.all(messages.map(async (message) => readEvents(await chatRequest({ message }, KEY))));
    streams.forEach((events, i) => {
      const names = events.map((e) => e.event);
      expect(names[0], `stream ${i}`).toBe("meta");
      expect(names.at(-1), `stream ${i}`).toBe("done");
      expect(names).not.toContain("error");
      expect(names.indexOf("usage")).toBe(names.length - 2);
      expect(names.slice(1, -2).every((n) => n === "message")).toBe(true);
      const text = events.filter((e) => e.event === "message").map((e) => String(e.data.content)).join("");
      expect(text, `stream ${i}`).toBe((whole[i]!.body.data as { content: string }).content);
    });
  }, 120_000);
});
