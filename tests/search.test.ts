// Retrieval and search through the gateway with this file's own tenant, over the fixture corpus: hybrid fusion,
// modes, filters, rerank, cited answers with confidence, follow-ups and why, the cache and its invalidation, budgets.
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureDocuments } from "./fixtures/corpus.ts";
import { ingestAll, retrieve, search } from "./fixtures/retrieval-client.ts";
import type { RetrievedChunk } from "@platform/shared";
import { letters, postJson, settledUsage, testTenant, twinOnly, uniqueId } from "./helpers.ts";

const { key: KEY } = testTenant("test-search");

const suite = uniqueId("srch");
const inSuite = { suite };
const doc = (name: string) => `${suite}-${name}`;

beforeAll(async () => {
  const corpus = fixtureDocuments(suite);
  await ingestAll(corpus.slice(0, 13), KEY);
  await ingestAll(corpus.slice(13), KEY);
});

const chunksFor = async (body: Record<string, unknown>): Promise<RetrievedChunk[]> => {
  const res = await retrieve({ filter: inSuite, ...body }, KEY);
  expect(res.status).toBe(200);
  return res.body.data!.chunks;
};

describe("POST /v1/retrieve", () => {
  twinOnly.it.each([
    ["how long is the password reset link valid", "reset-password"],
    ["what is the warranty of the Sync Hub", "product-hub"],
    ["delivery time to the United States", "shipping"],
    ["when is the trash emptied", "storage-limits"],
    ["which browsers are supported", "browser-support"],
    ["can I pay by bank transfer", "faq"],
    ["how are webhook deliveries retried", "webhooks"],
    ["single-use recovery codes", "two-factor"],
  ])("ranks the right document first for %j", async (query, name) => {
    const [top] = await chunksFor({ query });
    expect(top?.docId).toBe(doc(name));
  });

  twinOnly.it("returns chunks with their document, text, heading path, title, url and metadata", async () => {
    const [top] = await chunksFor({ query: "rotate API keys revoke the old key" });
    expect(top).toMatchObject({ docId: doc("api-keys"), title: "API keys", url: "https://help.northwind.example/api-keys", headings: ["API keys", "Rotating keys"], metadata: { suite, category: "developers" } });
    expect(top!.text).toMatch(/revoke the old key/);
    expect(top!.chunkId).toMatch(/^[0-9a-f]{64}$/);
  });

  twinOnly.it("keeps a table with its heading: the delivery table answers by its section", async () => {
    const [top] = await chunksFor({ query: "carrier for the rest of world", mode: "keyword" });
    expect(top!.headings).toEqual(["Shipping hardware keys", "Delivery times"]);
    expect(top!.text).toContain("| Rest of world | 10-15 business days | FedEx |");
    expect(top!.text).toContain("| Region | Delivery | Carrier |");
  });

  it("fuses both sides' normalised scores in hybrid mode (keyword 0.55, semantic 0.45 by default locally) and uses one side in the others", async () => {
    const query = "recovery codes for two-factor authentication";
    const semantic = (await retrieve({ query, filter: inSuite, mode: "semantic", topK: 50 }, KEY)).body.data!;
    expect(semantic.counts.keyword).toBe(0);
    // Cosine similarities; the hashed twin can score a text with nothing in common slightly below 0.
    expect(semantic.chunks.every((c) => c.ranks.keyword === undefined && c.score >= -1 && c.score <= 1)).toBe(true);
    expect(semantic.chunks[0]!.score).toBeGreaterThan(0);
    const keyword = (await retrieve({ query, filter: inSuite, mode: "keyword", topK: 50 }, KEY)).body.data!;
    expect(keyword.counts.semantic).toBe(0);
    expect(keyword.chunks.every((c) => c.ranks.semantic === undefined)).toBe(true);

    const hybrid = await retrieve({ query, filter: inSuite, topK: 8 }, KEY);
    const data = hybrid.body.data!;
    expect(data.mode).toBe("hybrid");
    expect(data.counts.semantic).toBeGreaterThan(0);
    expect(data.counts.keyword).toBeGreaterThan(0);
    const side = (chunks: typeof data.chunks) => new Map(chunks.map((c) => [c.chunkId, c.score]));
    const [semanticScores, keywordScores] = [side(semantic.chunks), side(keyword.chunks)];
    const [bestSemantic, bestKeyword] = [Math.max(...semanticScores.values()), Math.max(...keywordScores.values())];
    for (const c of data.chunks) {
      const expected = 0.45 * Math.max(0, semanticScores.get(c.chunkId) ?? 0) / bestSemantic + 0.55 * (keywordScores.get(c.chunkId) ?? 0) / bestKeyword;
      expect(c.score).toBeCloseTo(expected, 4);
      expect(c.score).toBeLessThanOrEqual(1);
    }
    const scores = data.chunks.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(data.chunks[0]!.docId).toBe(doc("two-factor"));
    expect(data.chunks[0]!.ranks.semantic).toBeDefined();
    expect(data.chunks[0]!.ranks.keyword).toBeDefined();
  });

  twinOnly.it("finds a misspelt query's document in hybrid mode, where keyword mode (the words as given) matches nothing", async () => {
    const query = "recovry kodes";
    expect(await chunksFor({ query, mode: "keyword" })).toEqual([]);
    const hybrid = await chunksFor({ query, topK: 10 });
    expect(hybrid.map((c) => c.docId)).toContain(doc("two-factor"));
  });

  it("matches a word none of the tenant's documents hold by its one-typo variant on hybrid's keyword side", async () => {
    const filter = { suite: `${suite}-typo` };
    const name = `vor${letters(6)}`;
    const typo = name.slice(0, 4) + name.slice(5);
    await ingestAll([
      { id: doc("typo-survey"), title: `The ${name} survey`, text: `The ${name} survey counted wading birds along the estuary every spring.`, metadata: filter },
      { id: doc("typo-estuary"), title: "Estuary birds", text: "Wading birds along the estuary were counted every spring by volunteers.", metadata: filter },
    ], KEY);
    expect(await chunksFor({ query: typo, mode: "keyword", filter })).toEqual([]);
    const [top] = await chunksFor({ query: typo, filter });
    expect(top).toMatchObject({ docId: doc("typo-survey"), ranks: { keyword: 1 } });
    // A word of four letters is taken as typed.
    expect((await chunksFor({ query: "surv", filter })).every((c) => c.ranks.keyword === undefined)).toBe(true);
  });

  it("applies metadata filters to both sides", async () => {
    for (const mode of ["semantic", "keyword", "hybrid"]) {
      const hardware = await chunksFor({ query: "price warranty delivery", mode, topK: 20, filter: { suite, category: "hardware" } });
      expect(hardware.length).toBeGreaterThan(0);
      expect(hardware.every((c) => c.metadata.category === "hardware")).toBe(true);
      const notHardware = await chunksFor({ query: "price warranty delivery", mode, topK: 20, filter: { suite, category: { $ne: "hardware" } } });
      expect(notHardware.some((c) => c.metadata.category === "hardware")).toBe(false);
      const some = await chunksFor({ query: "password key", mode, topK: 20, filter: { suite, category: { $in: ["account", "security"] } } });
      expect(some.length).toBeGreaterThan(0);
      expect(some.every((c) => ["account", "security"].includes(String(c.metadata.category)))).toBe(true);
      const one = await chunksFor({ query: "password", mode, topK: 20, filter: { docId: doc("two-factor") } });
      expect(one.length).toBeGreaterThan(0);
      expect(one.every((c) => c.docId === doc("two-factor"))).toBe(true);
    }
  });

  twinOnly.it("reranks the fused candidates with the reranker on request", async () => {
    const res = await retrieve({ query: "what happens when a parcel is lost", filter: inSuite, rerank: true, topK: 4 }, KEY);
    const data = res.body.data!;
    expect(data.reranked).toBe(true);
    expect(data.usage.rerankTokens).toBeGreaterThan(0);
    expect(data.chunks[0]!.docId).toBe(doc("shipping"));
    expect(data.chunks.map((c) => c.ranks.rerank)).toEqual([1, 2, 3, 4]);
    for (const c of data.chunks) expect(c.score).toBeGreaterThanOrEqual(0);
    const scores = data.chunks.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("takes topK up to 100 (search up to 50: its results go into the prompt)", async () => {
    const deep = await retrieve({ query: "password reset", filter: inSuite, mode: "keyword", topK: 100 }, KEY);
    expect(deep.status).toBe(200);
    expect(deep.body.data!.chunks.length).toBeGreaterThan(0);
    const tooDeep = await postJson("/v1/retrieve", { query: "x", topK: 101 }, KEY);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error?.details).toEqual({ nested: { topK: ["topK may be at most 100"] } });
    const searched = await postJson("/v1/search", { query: "x", topK: 51 }, KEY);
    expect(searched.status).toBe(400);
    expect(searched.body.error?.details).toEqual({ nested: { topK: ["topK may be at most 50"] } });
  });

  it("rejects bad requests with the schema's field errors", async () => {
    for (const body of [{ query: "" }, { query: "x", topK: 500 }, { query: "x", mode: "fuzzy" }, { query: "x", filter: { "bad.key": 1 } }, { query: "x", filter: { a: { $regex: "." } } }, {}]) {
      const res = await postJson("/v1/retrieve", body, KEY);
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe("invalid_request");
    }
  });
});

describe("POST /v1/search", () => {
  twinOnly.it("answers from the documents citing [n] sources, with confidence, follow-ups and why", async () => {
    const res = await search({ query: "How long is the password reset link valid?", filter: inSuite, cache: false }, KEY);
    expect(res.status).toBe(200);
    const data = res.body.data!;
    expect(data.answer).toMatch(/30 minutes/);
    const cited = [...data.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    expect(cited.length).toBeGreaterThan(0);
    for (const n of cited) {
      const source = data.sources.find((s) => s.n === n);
      expect(source?.cited).toBe(true);
      expect(source?.docId).toBe(doc("reset-password"));
    }
    expect(data.sources[0]).toMatchObject({ n: 1, docId: doc("reset-password"), title: "Resetting your password", url: null });
    expect(data.sources[0]!.snippet).toMatch(/30 minutes/);
    expect(data.sources.map((s) => s.n)).toEqual(data.sources.map((_, i) => i + 1));
    expect(["high", "medium"]).toContain(data.confidence.level);
    expect(data.confidence.score).toBeGreaterThan(0.4);
    expect(data.followUps.length).toBeGreaterThan(0);
    expect(data.why).toMatchObject({
      query: "How long is the password reset link valid?",
      rewrittenQuery: "How long is the password reset link valid",
      keywords: ["password", "reset", "link", "valid"],
      intent: "question",
      mode: "hybrid",
      reranked: true,
      cache: "bypass",
      generated: true,
    });
    expect(data.why.counts.semantic).toBeGreaterThan(0);
    expect(data.why.counts.keyword).toBeGreaterThan(0);
    expect(data.usage.chat?.total_tokens).toBeGreaterThan(0);
  });

  twinOnly.it("says it does not know, with low confidence, when the documents hold no answer", async () => {
    const res = await search({ query: "What is the boiling point of mercury on Mars?", filter: inSuite, cache: false }, KEY);
    const data = res.body.data!;
    expect(["low", "none"]).toContain(data.confidence.level);
    expect(data.answer).toMatch(/could not find/);
    expect(data.answer).not.toMatch(/\[\d+\]/);
    expect(data.why.generated).toBe(false);
    expect(data.usage.chat).toBeUndefined();
  });

  twinOnly.it("answers from a JSON document and an HTML table", async () => {
    const hub = (await search({ query: "How many watts of power delivery does the Sync Hub give?", filter: inSuite, cache: false }, KEY)).body.data!;
    expect(hub.answer).toMatch(/100/);
    expect(hub.sources[0]!.docId).toBe(doc("product-hub"));
    const eu = (await search({ query: "Which carrier delivers to the European Union?", filter: inSuite, cache: false }, KEY)).body.data!;
    expect(eu.answer).toMatch(/DHL/);
    expect(eu.sources[0]!.docId).toBe(doc("shipping"));
  });

  twinOnly.it("skips generation when asked for sources only", async () => {
    const data = (await search({ query: "webhook signature header", filter: inSuite, answer: false, cache: false }, KEY)).body.data!;
    expect(data.answer).toBe("");
    expect(data.why.generated).toBe(false);
    expect(data.sources[0]!.docId).toBe(doc("webhooks"));
    expect(data.usage.chat).toBeUndefined();
  });

  it("serves a repeated query from the cache, keyed by the normalised query, until an ingest changes the index", async () => {
    const query = `What are the ${suite} storage add-on packs?`;
    // This tenant is this file's alone, so nothing else ingests between the two.
    const first = (await search({ query, filter: inSuite }, KEY)).body.data!;
    const second = (await search({ query: `  what are the ${suite.toUpperCase()} storage ADD-ON packs `, filter: inSuite }, KEY)).body.data!;
    expect(first.why.cache).toBe("miss");
    expect(second.why.indexVersion).toBe(first.why.indexVersion);
    expect(second.why.cache).toBe("hit");
    expect(second.answer).toBe(first.answer);
    expect(second.sources).toEqual(first.sources);
    expect(second.usage.total_tokens).toBe(0);

    await ingestAll([{ id: uniqueId("bump"), text: "A new note that changes the index.", metadata: { suite: "elsewhere" } }], KEY);
    const third = (await search({ query, filter: inSuite }, KEY)).body.data!;
    expect(third.why.cache).toBe("miss");
    expect(third.why.indexVersion).toBeGreaterThan(first.why.indexVersion);
  });

  it("reserves tokens before searching and settles with the usage reported", async () => {
    const before = await settledUsage(KEY);
    const result = (await search({ query: "How do I export my workspace data?", filter: inSuite, cache: false }, KEY)).body.data!;
    expect(result.usage.total_tokens).toBeGreaterThan(0);
    // The gateway settles in the background once the answer is out; no other file spends this tenant's tokens.
    const after = await settledUsage(KEY);
    expect(after.tokens - before.tokens).toBe(result.usage.total_tokens);
  });

  twinOnly.it("also answers on the unversioned path", async () => {
    const res = await postJson("/search", { query: "keyboard shortcut for the command palette", filter: inSuite }, KEY);
    expect(res.status).toBe(200);
    expect((res.body.data as { sources: { docId: string }[] }).sources[0]!.docId).toBe(doc("keyboard-shortcuts"));
  });
});
