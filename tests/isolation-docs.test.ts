// Tenant isolation of documents: what tenant A ingests is never retrieved, listed, deleted or cited by tenant B, in
// Vectorize (namespace) or D1 (tenant_id), and the same document id in two tenants names two documents.
import { beforeAll, describe, expect, it } from "vitest";
import { allDocumentIds, deleteDocument, ingestAll, job, retrieve, search } from "./fixtures/retrieval-client.ts";
import { letters, testTenant, uniqueId } from "./helpers.ts";

const A = testTenant("test-isolation-a").key;
const B = testTenant("test-isolation-b").key;

const secret = `zyxquokka${crypto.randomUUID().slice(0, 8)}`;
const aDoc = { id: uniqueId("a-secret"), title: "A's secret plan", text: `# Launch plan\n\nThe launch codename is ${secret}. Only tenant A may know it.` };
const sharedId = uniqueId("same-id");
let aJobId = "";

beforeAll(async () => {
  const aJob = await ingestAll([aDoc, { id: sharedId, text: `A's version of the shared document mentions ${secret} and pelicans.` }], A);
  aJobId = aJob.jobId;
  await ingestAll([{ id: sharedId, text: "B's version of the shared document is about walruses." }], B);
});

describe("documents are private to their tenant", () => {
  it("lets A retrieve its document", async () => {
    const res = await retrieve({ query: secret, filter: { docId: aDoc.id } }, A);
    expect(res.body.data!.chunks[0]?.docId).toBe(aDoc.id);
  });

  it("never retrieves A's chunks for B, on either side", async () => {
    const res = await retrieve({ query: `${secret} launch codename pelicans`, topK: 50 }, B);
    expect(res.status).toBe(200);
    const chunks = res.body.data!.chunks;
    expect(chunks.some((c) => c.text.includes(secret) || c.docId === aDoc.id)).toBe(false);
    expect(chunks.filter((c) => c.docId === sharedId).every((c) => c.text.includes("walruses"))).toBe(true);
    expect(res.body.data!.counts.stale).toBe(0);
  });

  it("never cites A's documents in B's answers", async () => {
    const res = await search({ query: `What is the launch codename ${secret}?`, cache: false }, B);
    expect(res.status).toBe(200);
    const data = res.body.data!;
    expect(data.answer).not.toContain(`is ${secret}`);
    expect(data.sources.some((s) => s.docId === aDoc.id || s.snippet.includes(secret))).toBe(false);
  });

  it("never lists A's documents for B", async () => {
    const ids = await allDocumentIds(B);
    expect(ids).toEqual([sharedId]);
  });

  it("answers 404 to B for A's document and job, and leaves them in place", async () => {
    expect((await deleteDocument(aDoc.id, B)).status).toBe(404);
    expect((await job(aJobId, B)).status).toBe(404);
    expect((await job(aJobId, A)).status).toBe(200);
    expect(await allDocumentIds(A)).toContain(aDoc.id);
  });

  it("corrects a typo with the tenant's own words: each tenant's hybrid keyword side finds its own document", async () => {
    // The query is one typo from A's word and from B's.
    const stem = `qu${letters(6)}`;
    const [typo, aWord, bWord] = [`${stem}r`, `${stem}er`, `${stem}a`];
    const [aId, bId] = [uniqueId("a-typo"), uniqueId("b-typo")];
    await ingestAll([{ id: aId, text: `The ${aWord} beacon guides ships past the reef.` }], A);
    await ingestAll([{ id: bId, text: `The ${bWord} lighthouse keeps its lamp lit all winter.` }], B);
    for (const [key, own, other] of [[A, aId, bId], [B, bId, aId]] as const) {
      const chunks = (await retrieve({ query: typo, topK: 10 }, key)).body.data!.chunks;
      expect(chunks[0]).toMatchObject({ docId: own, ranks: { keyword: 1 } });
      expect(chunks.some((c) => c.docId === other)).toBe(false);
    }
  });

  it("keeps two tenants' documents with the same id apart", async () => {
    const a = await retrieve({ query: "shared document", filter: { docId: sharedId } }, A);
    expect(a.body.data!.chunks.map((c) => c.text).join(" ")).toContain("pelicans");
    expect(a.body.data!.chunks.map((c) => c.text).join(" ")).not.toContain("walruses");
    // Deleting A's copy leaves B's.
    expect((await deleteDocument(sharedId, A)).status).toBe(200);
    const b = await retrieve({ query: "shared document walruses", filter: { docId: sharedId } }, B);
    expect(b.body.data!.chunks[0]?.text).toContain("walruses");
  });
});
