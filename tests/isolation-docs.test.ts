// Tenant isolation of documents: what demo ingests is never retrieved, listed, deleted or cited by acme, in
// Vectorize (namespace) or D1 (tenant_id), and the same document id in two tenants names two documents.
// The acme key allows 20 requests per 10 s for the whole suite: this file spends about ten.
import { beforeAll, describe, expect, it } from "vitest";
import { allDocumentIds, deleteDocument, ingestAll, job, retrieve, search } from "./fixtures/retrieval-client.ts";
import { ACME_KEY, DEMO_KEY, uniqueId } from "./helpers.ts";

const secret = `zyxquokka${crypto.randomUUID().slice(0, 8)}`;
const demoDoc = { id: uniqueId("demo-secret"), title: "Demo's secret plan", text: `# Launch plan\n\nThe launch codename is ${secret}. Only the demo tenant may know it.` };
const sharedId = uniqueId("same-id");
let demoJobId = "";

beforeAll(async () => {
  const demoJob = await ingestAll([demoDoc, { id: sharedId, text: `Demo's version of the shared document mentions ${secret} and pelicans.` }]);
  demoJobId = demoJob.jobId;
  await ingestAll([{ id: sharedId, text: "Acme's version of the shared document is about walruses." }], ACME_KEY);
});

describe("documents are private to their tenant", () => {
  it("lets demo retrieve its document", async () => {
    const res = await retrieve({ query: secret, filter: { docId: demoDoc.id } });
    expect(res.body.data!.chunks[0]?.docId).toBe(demoDoc.id);
  });

  it("never retrieves demo's chunks for acme, on either side", async () => {
    const res = await retrieve({ query: `${secret} launch codename pelicans`, topK: 50 }, ACME_KEY);
    expect(res.status).toBe(200);
    const chunks = res.body.data!.chunks;
    expect(chunks.some((c) => c.text.includes(secret) || c.docId === demoDoc.id)).toBe(false);
    expect(chunks.filter((c) => c.docId === sharedId).every((c) => c.text.includes("walruses"))).toBe(true);
    expect(res.body.data!.counts.stale).toBe(0);
  });

  it("never cites demo's documents in acme's answers", async () => {
    const res = await search({ query: `What is the launch codename ${secret}?`, cache: false }, ACME_KEY);
    expect(res.status).toBe(200);
    const data = res.body.data!;
    expect(data.answer).not.toContain(`is ${secret}`);
    expect(data.sources.some((s) => s.docId === demoDoc.id || s.snippet.includes(secret))).toBe(false);
  });

  it("never lists demo's documents for acme", async () => {
    const ids = await allDocumentIds(ACME_KEY);
    expect(ids).not.toContain(demoDoc.id);
    expect(ids).toContain(sharedId);
  });

  it("answers 404 to acme for demo's document and job, and leaves them in place", async () => {
    expect((await deleteDocument(demoDoc.id, ACME_KEY)).status).toBe(404);
    expect((await job(demoJobId, ACME_KEY)).status).toBe(404);
    expect((await job(demoJobId, DEMO_KEY)).status).toBe(200);
    expect(await allDocumentIds(DEMO_KEY)).toContain(demoDoc.id);
  });

  it("keeps two tenants' documents with the same id apart", async () => {
    const demo = await retrieve({ query: "shared document", filter: { docId: sharedId } });
    expect(demo.body.data!.chunks.map((c) => c.text).join(" ")).toContain("pelicans");
    expect(demo.body.data!.chunks.map((c) => c.text).join(" ")).not.toContain("walruses");
    // Deleting demo's copy leaves acme's.
    expect((await deleteDocument(sharedId, DEMO_KEY)).status).toBe(200);
    const acme = await retrieve({ query: "shared document walruses", filter: { docId: sharedId } }, ACME_KEY);
    expect(acme.body.data!.chunks[0]?.text).toContain("walruses");
  });
});
