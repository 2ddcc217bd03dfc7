// PDF and Word documents through the gateway with this file's own tenant: base64 in JSON and multipart uploads, page citations
// from a two-page PDF, and unreadable files (corrupt, encrypted, not what they claim) rejected one by one, never a 5xx.
import type { IngestJob, RetrieveResult, SearchResult } from "@platform/shared";
import { describe, expect, it } from "vitest";
import { base64, corruptPdfFile, DOCX_TYPE, docxFile, encryptedPdfFile, PDF_TYPE, pdfFile } from "./fixtures/documents.ts";
import { ingest, retrieve, search, waitForJob } from "./fixtures/retrieval-client.ts";
import { call, postJson, testTenant, uniqueId } from "./helpers.ts";

const { key: KEY } = testTenant("test-documents");
const suite = uniqueId("files");

const twoPages = () =>
  pdfFile(
    [
      ["Aurora tariffs", "The aurora tariff applies to parcels shipped at night.", "It adds four euros to each parcel."],
      ["Zephyr refunds", "Refund requests for the zephyr plan close after thirty days.", "Late requests go to the billing desk."],
    ],
    "Shipping and refunds handbook",
  );

const upload = (form: FormData) => call<IngestJob>("/v1/ingest", { method: "POST", key: KEY, body: form });
const blob = (bytes: Uint8Array, type: string) => new Blob([bytes.slice()], { type });

describe("POST /v1/ingest with files", () => {
  it("indexes a two-page PDF sent as base64 and cites the page a passage is on", async () => {
    const id = `${suite}-handbook`;
    const res = await ingest([{ id, contentType: PDF_TYPE, data: base64(await twoPages()) }], KEY);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: "completed", counts: { total: 1, indexed: 1 } });
    expect(res.body.data!.documents[0]).toMatchObject({ id, status: "indexed", chunks: 2 });

    const found = await search({ query: "When do refund requests for the zephyr plan close?", filter: { docId: id }, cache: false }, KEY);
    expect(found.status).toBe(200);
    const result: SearchResult = found.body.data!;
    const top = result.sources[0]!;
    expect(top).toMatchObject({ n: 1, docId: id, title: "Shipping and refunds handbook", page: 2, cited: true });
    expect(top.snippet).toContain("Refund requests for the zephyr plan close after thirty days.");
    expect(result.answer).toContain("[1]");
    expect(result.sources.find((s) => s.snippet.includes("aurora tariff"))?.page).toBe(1);
  });

  it("names the page in a RAG chat turn's sources", async () => {
    await ingest([{ id: `${suite}-chat`, contentType: PDF_TYPE, data: base64(await twoPages()) }], KEY);
    const res = await postJson("/v1/chat", { message: "When do refund requests for the zephyr plan close?", rag: true, stream: false }, KEY);
    expect(res.status).toBe(200);
    const sources = (res.body.data as { sources: { docId: string; page?: number; snippet: string }[] }).sources;
    const ours = sources.find((s) => s.docId.startsWith(suite));
    expect(ours).toMatchObject({ page: 2 });
    expect(ours!.snippet).toContain("zephyr plan");
  });

  it("converts files of a queued job when the request is accepted, and its chunks keep their pages", async () => {
    const id = `${suite}-queued`;
    const texts = Array.from({ length: 25 }, (_, i) => ({ id: `${suite}-filler-${i}`, text: `Filler note ${i} about nothing in particular.` }));
    const res = await ingest([...texts, { id, contentType: PDF_TYPE, data: base64(await twoPages()) }], KEY);
    expect(res.status).toBe(202);
    const done = await waitForJob(res.body.data!.jobId, KEY);
    expect(done).toMatchObject({ status: "completed", counts: { total: 26, indexed: 26 } });
    const chunks = (await retrieve({ query: "aurora tariff zephyr refund", filter: { docId: id } }, KEY)).body.data!.chunks;
    expect(chunks.map((c) => Number(c.metadata.page)).sort((a, b) => a - b)).toEqual([1, 2]);
  });

  it("keeps each chunk's page in retrieve metadata and filters on it", async () => {
    const id = `${suite}-paged`;
    await ingest([{ id, contentType: PDF_TYPE, data: base64(await twoPages()) }], KEY);
    const all: RetrieveResult = (await retrieve({ query: "aurora tariff zephyr refund", filter: { docId: id }, topK: 10 }, KEY)).body.data!;
    expect(all.chunks.map((c) => Number(c.metadata.page)).sort((a, b) => a - b)).toEqual([1, 2]);
    for (const mode of ["semantic", "keyword"]) {
      const pageTwo: RetrieveResult = (await retrieve({ query: "aurora tariff zephyr refund", mode, filter: { docId: id, page: 2 } }, KEY)).body.data!;
      expect(pageTwo.chunks.map((c) => [c.metadata.page, c.text.slice(0, 14)])).toEqual([[2, "Zephyr refunds"]]);
    }
  });

  it("indexes a Word document sent as base64, its first heading as the title", async () => {
    const id = `${suite}-policy`;
    const data = base64(docxFile([{ text: "Travel policy", style: "Heading1" }, { text: "Economy class is booked for flights under six hours." }]));
    const res = await ingest([{ id, contentType: DOCX_TYPE, data }], KEY);
    expect(res.body.data!.documents[0]).toMatchObject({ id, status: "indexed", chunks: 1 });
    const chunk = (await retrieve({ query: "economy class flights", filter: { docId: id } }, KEY)).body.data!.chunks[0]!;
    expect(chunk).toMatchObject({ docId: id, title: "Travel policy", text: "Economy class is booked for flights under six hours." });
    expect(chunk.metadata).toEqual({});
  });

  it("accepts a multipart upload: several files take their ids from their file names", async () => {
    const form = new FormData();
    form.append("file", blob(await twoPages(), PDF_TYPE), `${suite} handbook.pdf`);
    form.append("file", blob(docxFile([{ text: "Parking permits are renewed every March." }]), "application/octet-stream"), `${suite}-parking.docx`);
    form.append("file", blob(new TextEncoder().encode("# Canteen\n\nThe canteen opens at noon."), "text/markdown"), `${suite}-canteen.md`);
    form.append("metadata", JSON.stringify({ team: "facilities" }));
    const res = await upload(form);
    expect(res.status).toBe(200);
    expect(res.body.data!.documents.map((d) => [d.id, d.status])).toEqual([
      [`${suite}-handbook.pdf`, "indexed"],
      [`${suite}-parking.docx`, "indexed"],
      [`${suite}-canteen.md`, "indexed"],
    ]);
    const hit = (await retrieve({ query: "parking permits renewed", filter: { team: "facilities", docId: `${suite}-parking.docx` } }, KEY)).body.data!.chunks[0]!;
    expect(hit).toMatchObject({ text: "Parking permits are renewed every March.", metadata: { team: "facilities" } });
  });

  it("accepts a multipart upload of one file with its id and title as fields", async () => {
    const id = `${suite}-named`;
    const form = new FormData();
    form.append("id", id);
    form.append("title", "Night shipping");
    form.append("upload", blob(await twoPages(), PDF_TYPE), "whatever.pdf");
    const res = await upload(form);
    expect(res.body.data!.documents[0]).toMatchObject({ id, status: "indexed", chunks: 2 });
    const source = (await search({ query: "aurora tariff night parcels", filter: { docId: id }, answer: false, cache: false }, KEY)).body.data!.sources[0]!;
    expect(source).toMatchObject({ docId: id, title: "Night shipping", page: 1 });
  });

  it("rejects a corrupt and an encrypted PDF with their reasons and indexes the rest of the request", async () => {
    const good = `${suite}-good`;
    const res = await ingest([
      { id: `${suite}-corrupt`, contentType: PDF_TYPE, data: base64(corruptPdfFile()) },
      { id: `${suite}-locked`, contentType: PDF_TYPE, data: base64(await encryptedPdfFile()) },
      { id: good, contentType: DOCX_TYPE, data: base64(docxFile([{ text: "Badges are collected at the front desk." }])) },
    ], KEY);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: "completed_with_errors", counts: { total: 3, indexed: 1, rejected: 2 } });
    const [corrupt, locked, indexed] = res.body.data!.documents;
    expect(corrupt).toMatchObject({ id: `${suite}-corrupt`, status: "rejected" });
    expect(corrupt!.reason).toMatch(/^invalid_request: the PDF could not be read \(corrupt or not a PDF\): /);
    expect(locked).toMatchObject({ id: `${suite}-locked`, status: "rejected" });
    expect(locked!.reason).toMatch(/^invalid_request: the PDF is encrypted \(password-protected\) and cannot be read: /);
    expect(indexed).toMatchObject({ id: good, status: "indexed" });
  });

  it("answers 200 with a failed job when the only file is unreadable, not a 5xx", async () => {
    const res = await ingest([{ id: `${suite}-only-locked`, contentType: PDF_TYPE, data: base64(await encryptedPdfFile()) }], KEY);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: "failed", counts: { total: 1, rejected: 1 } });
    expect(res.body.data!.documents[0]!.reason).toContain("encrypted");
  });

  it("rejects at the gateway data that is not base64, not the declared type, or sent as text", async () => {
    const res = await ingest([
      { id: `${suite}-b64`, contentType: PDF_TYPE, data: "not base64!" },
      { id: `${suite}-fake`, contentType: PDF_TYPE, data: base64(docxFile([{ text: "hello" }])) },
      { id: `${suite}-text`, contentType: DOCX_TYPE, text: "hello" },
      { id: `${suite}-ok`, contentType: PDF_TYPE, data: base64(await pdfFile([["Lockers are emptied on Fridays."]])) },
    ], KEY);
    expect(res.status).toBe(200);
    expect(res.body.data!.documents.map((d) => [d.status, d.reason])).toEqual([
      ["rejected", "invalid_request: data must be the file encoded in base64"],
      ["rejected", "invalid_request: data is not a PDF file (no %PDF- header)"],
      ["rejected", `invalid_request: a ${DOCX_TYPE} document carries the file base64-encoded in data, not text`],
      ["indexed", undefined],
    ]);
  });

  it("answers 400 for a multipart body without a file part or with an unknown field", async () => {
    const none = new FormData();
    none.append("id", "lonely");
    expect((await upload(none)).body.error).toMatchObject({ code: "invalid_request", message: "a multipart upload needs at least one file part (a part with a filename)" });
    const unknown = new FormData();
    unknown.append("colour", "blue");
    unknown.append("file", blob(await twoPages(), PDF_TYPE), "a.pdf");
    const res = await upload(unknown);
    expect(res.status).toBe(400);
    expect(res.body.error!.message).toContain('unknown form field "colour"');
  });

  it("answers 413 for an upload over the tenant's body limit", async () => {
    const form = new FormData();
    form.append("file", blob(new Uint8Array(1_100_000).fill(65), PDF_TYPE), "huge.pdf");
    const res = await upload(form);
    expect(res.status).toBe(413);
    expect(res.body.error!.code).toBe("payload_too_large");
  });
});
