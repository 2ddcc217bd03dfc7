// Unit tests for multipart ingest uploads: which parts become documents, their ids and types, and the field rules.
import { AppError } from "@platform/shared";
import { describe, expect, it } from "vitest";
import { idFromFileName, partType, uploadDocuments } from "./ingest-body.ts";

const PDF = "application/pdf";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const file = (name: string, type: string, text = "%PDF-1.7 x") => new File([text], name, { type });

describe("uploadDocuments", () => {
  it("makes each file part a document: files as bytes, text types as text, metadata for all", async () => {
    const form = new FormData();
    form.append("file", file("Q3 report (final).pdf", PDF));
    form.append("file", file("notes.md", "application/octet-stream", "# Notes"));
    form.append("metadata", '{"team":"ops"}');
    const docs = await uploadDocuments(form);
    expect(docs).toEqual([
      { id: "Q3-report-final-.pdf", contentType: PDF, data: new TextEncoder().encode("%PDF-1.7 x"), metadata: { team: "ops" } },
      { id: "notes.md", contentType: "text/markdown", text: "# Notes", metadata: { team: "ops" } },
    ]);
  });

  it("takes id, title, url and contentType from fields when there is one file", async () => {
    const form = new FormData();
    form.append("id", "handbook");
    form.append("title", "Handbook");
    form.append("url", "https://example.com/handbook.pdf");
    form.append("contentType", PDF);
    form.append("upload", file("scan.bin", "application/octet-stream"));
    expect(await uploadDocuments(form)).toMatchObject([{ id: "handbook", title: "Handbook", url: "https://example.com/handbook.pdf", contentType: PDF }]);
  });

  it("refuses single-document fields with several files, unknown or repeated fields, bad metadata and no file", async () => {
    const refusal = async (entries: [string, string | File][]) => {
      const form = new FormData();
      for (const [name, value] of entries) form.append(name, value);
      return uploadDocuments(form).then(
        () => "accepted",
        (error: unknown) => `${AppError.from(error).body.code}: ${AppError.from(error).body.message}`,
      );
    };
    expect(await refusal([["id", "x"], ["f", file("a.pdf", PDF)], ["f", file("b.pdf", PDF)]])).toBe("invalid_request: form fields id describe one document; with 2 files, each id comes from its file name");
    expect(await refusal([["colour", "blue"], ["f", file("a.pdf", PDF)]])).toMatch(/^invalid_request: unknown form field "colour"/);
    expect(await refusal([["title", "a"], ["title", "b"], ["f", file("a.pdf", PDF)]])).toBe('invalid_request: form field "title" appears more than once');
    expect(await refusal([["metadata", "{"], ["f", file("a.pdf", PDF)]])).toBe("invalid_request: form field metadata must be a JSON object");
    expect(await refusal([["id", "x"]])).toBe("invalid_request: a multipart upload needs at least one file part (a part with a filename)");
  });
});

describe("partType and idFromFileName", () => {
  it("prefers an accepted declared type, then the extension, then the declared type", () => {
    expect(partType(file("a.bin", `${DOCX}; charset=binary`))).toBe(DOCX);
    expect(partType(file("a.DOCX", "application/octet-stream"))).toBe(DOCX);
    expect(partType(file("a.png", "image/png"))).toBe("image/png");
    expect(partType(file("noext", ""))).toBe("application/octet-stream");
  });

  it("keeps the base name and replaces characters ids may not have", () => {
    expect(idFromFileName("C:\\Users\\me\\Résumé 2026.docx")).toBe("R-sum-2026.docx");
    expect(idFromFileName("../../.hidden.pdf")).toBe("hidden.pdf");
  });
});
