// Unit tests for file documents in ingest requests: base64 decoding, signature and size checks, and how
// splitDocuments accepts or rejects PDF and DOCX entries next to text ones.
import { describe, expect, it } from "vitest";
import { estimateIngestTokens, splitDocuments } from "./ingest-contract.ts";
import { fileBytes, MAX_FILE_BYTES } from "./ingest-files.ts";

const PDF = "application/pdf";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const pdfBytes = new TextEncoder().encode("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj <<>> endobj\n%%EOF");
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

describe("fileBytes", () => {
  it("decodes base64 with line breaks or a data: URL prefix", () => {
    const encoded = b64(pdfBytes);
    expect(fileBytes(encoded.replace(/(.{8})/g, "$1\n"), PDF)).toEqual({ ok: true, bytes: pdfBytes });
    expect(fileBytes(`data:application/pdf;base64,${encoded}`, PDF)).toEqual({ ok: true, bytes: pdfBytes });
  });

  it("refuses what is not base64, not the declared type, empty or too large", () => {
    expect(fileBytes("%%%", PDF)).toMatchObject({ ok: false, code: "invalid_request", reason: "data must be the file encoded in base64" });
    expect(fileBytes(b64(pdfBytes), DOCX)).toMatchObject({ ok: false, reason: "data is not a DOCX file (not a zip archive)" });
    expect(fileBytes(new Uint8Array([80, 75, 3, 4]), PDF)).toMatchObject({ ok: false, reason: "data is not a PDF file (no %PDF- header)" });
    expect(fileBytes("", PDF)).toMatchObject({ ok: false, reason: "data must not be empty" });
    expect(fileBytes(new Uint8Array(MAX_FILE_BYTES + 1), PDF)).toMatchObject({ ok: false, code: "payload_too_large" });
  });
});

describe("splitDocuments with files", () => {
  it("accepts a PDF with its bytes decoded and rejects file entries that carry text or lack data", () => {
    const { accepted, rejected } = splitDocuments([
      { id: "report", contentType: PDF, data: b64(pdfBytes), title: "Report", metadata: { team: "ops" } },
      { id: "notes", contentType: DOCX, text: "hello" },
      { id: "empty", contentType: PDF },
      { id: "plain", text: "Hello" },
    ]);
    expect(accepted).toEqual([
      { id: "report", contentType: PDF, data: pdfBytes, title: "Report", metadata: { team: "ops" }, index: 0 },
      { id: "plain", text: "Hello", contentType: "text/plain", metadata: {}, index: 3 },
    ]);
    expect(rejected).toEqual([
      { index: 1, id: "notes", code: "invalid_request", reason: `a ${DOCX} document carries the file base64-encoded in data, not text` },
      { index: 2, id: "empty", code: "invalid_request", reason: "data is required: the file encoded in base64" },
    ]);
  });

  it("reserves page as a platform metadata key", () => {
    expect(splitDocuments([{ id: "a", text: "x", metadata: { page: 3 } }]).rejected[0]!.reason).toContain("are reserved");
  });

  it("estimates a file's tokens from its size", () => {
    expect(estimateIngestTokens([{ data: new Uint8Array(400) }, { text: "x".repeat(400) }])).toBe(250);
  });
});
