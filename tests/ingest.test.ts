// Ingestion through the gateway with this file's own tenant: sync and queued jobs, per-document rejection, idempotency,
// replacement without orphans, concurrent duplicates, listing and deletion.
import type { IngestJob } from "@platform/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureDocuments } from "./fixtures/corpus.ts";
import { allDocumentIds, allDocuments, deleteDocument, documentsPage, ingest, ingestAll, job, retrieve, waitForJob } from "./fixtures/retrieval-client.ts";
import { call, postJson, testTenant, uniqueId } from "./helpers.ts";

const { key: KEY } = testTenant("test-ingest");

const suite = uniqueId("ing");
const corpus = fixtureDocuments(suite);

/** Every chunk of one document the vector side can see (semantic mode, filtered by docId), and how many were stale. */
async function chunksOf(docId: string, query = "document") {
  const res = await retrieve({ query, mode: "semantic", topK: 50, filter: { docId } }, KEY);
  expect(res.status).toBe(200);
  return res.body.data!;
}

const longDoc = (word: string, paragraphs: number) =>
  Array.from({ length: paragraphs }, (_, i) => `## Part ${i}\n\n${`The ${word} section ${i} explains one more detail of the subject. `.repeat(8)}`).join("\n\n");

beforeAll(async () => {
  await ingestAll(corpus.slice(0, 13), KEY);
  await ingestAll(corpus.slice(13), KEY);
});

describe("POST /v1/ingest", () => {
  it("indexes a small batch before answering, with each document's outcome, and keeps the job queryable", async () => {
    const docs = fixtureDocuments(uniqueId("sync"), ["plans", "shipping", "faq", "keyboard-shortcuts"]);
    const res = await ingest(docs, KEY);
    expect(res.status).toBe(200);
    const data = res.body.data!;
    expect(data).toMatchObject({ mode: "sync", status: "completed", counts: { total: 4, indexed: 4, pending: 0 } });
    expect(data.jobId).toMatch(/^job_[0-9a-f]{32}$/);
    expect(res.headers.get("location")).toBe(`/v1/ingest/${data.jobId}`);
    for (const d of data.documents) expect(d.chunks).toBeGreaterThan(0);
    expect(data.usage.embeddingTokens).toBeGreaterThan(0);
    const again = await job(data.jobId, KEY);
    expect(again.status).toBe(200);
    expect(again.body.data!.documents).toEqual(data.documents);
  });

  it("does nothing when an unchanged document is sent again", async () => {
    const doc = corpus.find((d) => d.id.endsWith("-plans"))!;
    const before = await chunksOf(doc.id, "plan price");
    const res = await ingest([doc], KEY);
    expect(res.body.data!.documents[0]).toMatchObject({ id: doc.id, status: "unchanged", chunks: before.chunks.length });
    expect(res.body.data!.usage.embeddingTokens).toBe(0);
    const after = await chunksOf(doc.id, "plan price");
    expect(after.chunks.map((c) => c.chunkId).sort()).toEqual(before.chunks.map((c) => c.chunkId).sort());
  });

  it("replaces a changed document's chunks and leaves no orphan vectors or rows", async () => {
    const id = uniqueId("changing");
    const first = await ingestAll([{ id, text: longDoc("alpha", 6), contentType: "text/markdown" }], KEY);
    const firstCount = first.documents[0]!.chunks!;
    expect(firstCount).toBeGreaterThanOrEqual(6);

    const second = await ingestAll([{ id, text: longDoc("omega", 2), contentType: "text/markdown" }], KEY);
    const secondCount = second.documents[0]!.chunks!;
    expect(secondCount).toBeLessThan(firstCount);

    const vectors = await chunksOf(id, "alpha omega section");
    expect(vectors.counts.stale).toBe(0);
    expect(vectors.counts.semantic).toBe(secondCount);
    for (const c of vectors.chunks) expect(c.text).toContain("omega");
    const keyword = await retrieve({ query: "alpha", mode: "keyword", filter: { docId: id } }, KEY);
    expect(keyword.body.data!.chunks).toEqual([]);
  });

  it("keeps one copy of a document submitted several times at once", async () => {
    const id = uniqueId("racing");
    const doc = { id, text: longDoc("gamma", 3), contentType: "text/markdown" };
    const results = await Promise.all(Array.from({ length: 5 }, () => ingest([doc], KEY)));
    for (const r of results) expect(r.status).toBe(200);
    const expected = results[0]!.body.data!.documents[0]!.chunks!;
    const vectors = await chunksOf(id, "gamma section");
    expect(vectors.counts.semantic).toBe(expected);
    expect(vectors.counts.stale).toBe(0);
    expect(new Set(vectors.chunks.map((c) => c.chunkId)).size).toBe(expected);
    const keyword = await retrieve({ query: "gamma", mode: "keyword", topK: 50, filter: { docId: id } }, KEY);
    expect(keyword.body.data!.chunks.length).toBe(expected);
    expect((await allDocumentIds(KEY)).filter((d) => d === id)).toHaveLength(1);
  });

  it("rejects bad documents one by one with reasons and writes nothing for them", async () => {
    const prefix = uniqueId("mixed");
    const res = await ingest([
      { id: `${prefix}-good`, text: "A good document about llamas." },
      { id: `${prefix}-empty`, text: "  \n " },
      { id: `${prefix}-doc`, text: "legacy Word", contentType: "application/msword" },
      { id: "not a valid id!", text: "text" },
      { id: `${prefix}-big`, text: "x".repeat(600 * 1024) },
      { id: `${prefix}-json`, text: "{ not json", contentType: "application/json" },
      { id: `${prefix}-html`, text: "<script>only()</script>", contentType: "text/html" },
    ], KEY);
    expect(res.status).toBe(200);
    const outcomes = res.body.data!.documents;
    expect(outcomes.map((o) => [o.index, o.status])).toEqual([
      [0, "indexed"],
      [1, "rejected"],
      [2, "rejected"],
      [3, "rejected"],
      [4, "rejected"],
      [5, "rejected"],
      [6, "rejected"],
    ]);
    expect(res.body.data!.status).toBe("completed_with_errors");
    expect(outcomes[1]!.reason).toMatch(/empty/);
    expect(outcomes[2]!.reason).toMatch(/^unsupported_media_type/);
    expect(outcomes[3]!.reason).toMatch(/id must/);
    expect(outcomes[4]!.reason).toMatch(/^payload_too_large/);
    expect(outcomes[5]!.reason).toMatch(/not valid JSON/);
    expect(outcomes[6]!.reason).toMatch(/no text is left/);

    const ids = await allDocumentIds(KEY);
    expect(ids).toContain(`${prefix}-good`);
    for (const bad of ["empty", "doc", "big", "json", "html"]) {
      expect(ids).not.toContain(`${prefix}-${bad}`);
      expect((await chunksOf(`${prefix}-${bad}`)).counts.semantic).toBe(0);
    }
  });

  it("answers 400 when no document is acceptable and 413 for too many documents or an oversized one alone", async () => {
    const none = await ingest([{ id: "x", text: "" }, { id: "y" }], KEY);
    expect(none.status).toBe(400);
    expect(none.body.error).toMatchObject({ code: "invalid_request", details: { documents: [{ index: 0 }, { index: 1 }] } });
    const many = await ingest(Array.from({ length: 501 }, (_, i) => ({ id: `d${i}`, text: "t" })), KEY);
    expect(many.status).toBe(413);
    expect(many.body.error?.message).toMatch(/at most 500 documents/);
    const big = await ingest([{ id: "big", text: "x".repeat(600 * 1024) }], KEY);
    expect(big.status).toBe(413);
    expect((await postJson("/v1/ingest", { documents: "nope" }, KEY)).status).toBe(400);
    expect((await postJson("/v1/ingest", { documents: [] }, KEY)).status).toBe(400);
  });

  it("queues a large batch, answers 202 with the job, and reports progress until every document is indexed", async () => {
    const prefix = uniqueId("queued");
    const docs = Array.from({ length: 40 }, (_, i) => ({ id: `${prefix}-${i}`, text: `Queued note ${i} about the harbour crane number ${i}.`, metadata: { prefix } }));
    docs.push({ id: `${prefix}-bad`, text: "", metadata: { prefix } });
    const res = await ingest(docs, KEY);
    expect(res.status).toBe(202);
    expect(res.body.data).toMatchObject({ mode: "queued", status: "queued", counts: { total: 41, pending: 40, rejected: 1 } });
    const done = await waitForJob(res.body.data!.jobId, KEY);
    expect(done).toMatchObject({ status: "completed_with_errors", counts: { indexed: 40, rejected: 1, pending: 0, failed: 0 } });
    expect(done.usage.embeddingTokens).toBeGreaterThan(0);
    const found = await retrieve({ query: "harbour crane number 17", mode: "keyword", filter: { prefix } }, KEY);
    expect(found.body.data!.chunks[0]!.docId).toBe(`${prefix}-17`);
  });

  it("also accepts the unversioned path", async () => {
    const res = await postJson("/ingest", { documents: [{ id: uniqueId("alias"), text: "Seed path document." }] }, KEY);
    expect(res.status).toBe(200);
  });
});

describe("GET /v1/ingest/:jobId", () => {
  it("answers 404 for an unknown or malformed job id", async () => {
    expect((await job(`job_${"0".repeat(32)}`, KEY)).status).toBe(404);
    expect((await job("whatever", KEY)).status).toBe(404);
    expect((await call<IngestJob>(`/v1/ingest/job_${"0".repeat(32)}?wait=1`, { key: KEY })).status).toBe(404);
  });

  it("long-polls with ?wait=N: one read answers once a queued job has ended", async () => {
    const prefix = uniqueId("wait");
    const docs = Array.from({ length: 30 }, (_, i) => ({ id: `${prefix}-${i}`, text: `Waiting note ${i} about the lighthouse keeper ${i}.` }));
    const res = await ingest(docs, KEY);
    expect(res.status).toBe(202);
    // A read that does not wait says when to come back while the job runs.
    const early = await call<IngestJob>(`/v1/ingest/${res.body.data!.jobId}`, { key: KEY });
    if (early.body.data!.status === "queued" || early.body.data!.status === "processing") expect(early.headers.get("retry-after")).toBe("1");
    // The job is small: one 20-second wait is enough (a slow machine may need a second one, never a busy loop).
    let read = await call<IngestJob>(`/v1/ingest/${res.body.data!.jobId}?wait=20`, { key: KEY });
    if (read.body.data!.status === "processing" || read.body.data!.status === "queued") read = await call<IngestJob>(`/v1/ingest/${res.body.data!.jobId}?wait=20`, { key: KEY });
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ status: "completed", counts: { indexed: 30, pending: 0 } });
    expect(read.headers.get("retry-after")).toBeNull();
  });

  it("refuses a wait that is not a whole number of seconds from 0 to 20", async () => {
    for (const wait of ["21", "-1", "1.5", "soon", ""]) {
      const res = await call(`/v1/ingest/job_${"0".repeat(32)}?wait=${wait}`, { key: KEY });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    }
  });
});

describe("GET /v1/documents", () => {
  it("pages through the tenant's documents without repeating one", async () => {
    const first = await documentsPage("?limit=5", KEY);
    expect(first.body.data!.documents).toHaveLength(5);
    expect(first.body.data!.nextCursor).toBeTruthy();
    const second = await documentsPage(`?limit=5&cursor=${first.body.data!.nextCursor}`, KEY);
    const ids = [...first.body.data!.documents, ...second.body.data!.documents].map((d) => d.id);
    expect(new Set(ids).size).toBe(10);
    expect([...ids].sort()).toEqual(ids);
    const all = await allDocumentIds(KEY);
    for (const d of corpus) expect(all).toContain(d.id);
  });

  it("describes each document", async () => {
    const id = corpus.find((d) => d.id.endsWith("-api-keys"))!.id;
    const doc = (await allDocuments(KEY)).find((d) => d.id === id);
    expect(doc).toMatchObject({ id, title: "API keys", url: "https://help.northwind.example/api-keys", contentType: "text/markdown", metadata: { suite, category: "developers" } });
    expect(doc!.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(doc!.chunks).toBeGreaterThan(0);
  });

  it("answers 400 for a bad limit or cursor", async () => {
    expect((await documentsPage("?limit=0", KEY)).status).toBe(400);
    expect((await documentsPage("?limit=1000", KEY)).status).toBe(400);
    expect((await documentsPage("?cursor=%25%25", KEY)).status).toBe(400);
  });
});

describe("DELETE /v1/documents/:id", () => {
  it("removes the document's chunks from Vectorize and D1, then answers 404", async () => {
    const [doc] = fixtureDocuments(uniqueId("del"), ["webhooks"]);
    const indexed = await ingestAll([doc], KEY);
    const chunks = indexed.documents[0]!.chunks!;
    expect((await chunksOf(doc!.id, "webhook signature")).counts.semantic).toBe(chunks);

    const res = await deleteDocument(doc!.id, KEY);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ id: doc!.id, deleted: true, chunks });
    const after = await chunksOf(doc!.id, "webhook signature");
    expect(after.counts).toMatchObject({ semantic: 0, stale: 0, fused: 0 });
    expect((await retrieve({ query: "webhook signature", mode: "keyword", filter: { docId: doc!.id } }, KEY)).body.data!.chunks).toEqual([]);
    expect(await allDocumentIds(KEY)).not.toContain(doc!.id);
    expect((await deleteDocument(doc!.id, KEY)).status).toBe(404);
  });

  it("answers 400 for an invalid id and 404 for an unknown one", async () => {
    expect((await call("/v1/documents/bad%20id!", { method: "DELETE", key: KEY })).status).toBe(400);
    expect((await deleteDocument(uniqueId("never"), KEY)).status).toBe(404);
  });
});
