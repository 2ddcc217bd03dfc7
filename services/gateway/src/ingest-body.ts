// The body of POST /v1/ingest: JSON `{ documents: [...] }`, or a multipart/form-data upload whose file parts become
// documents (PDF and DOCX as bytes, text types as text). Either way each document is then checked by `splitDocuments`.
import { AppError, FILE_EXTENSIONS, IngestRequestSchema, isFileContentType } from "@platform/shared";
import { parseInput, readBody, readJson } from "./body.ts";

const BY_EXTENSION: Record<string, string> = {
  ...Object.fromEntries(Object.entries(FILE_EXTENSIONS).map(([type, extension]) => [extension, type])),
  md: "text/markdown",
  markdown: "text/markdown",
  txt: "text/plain",
  html: "text/html",
  htm: "text/html",
  json: "application/json",
};
const ACCEPTED = new Set(Object.values(BY_EXTENSION));

/** Text fields of an upload; those but `metadata` name one document, so they need exactly one file part. */
const FIELDS = ["id", "title", "url", "contentType", "metadata"] as const;
const SINGLE_FILE_FIELDS = ["id", "title", "url", "contentType"];
const MAX_ID_CHARS = 128;

export async function readIngestDocuments(request: Request, maxBytes: number): Promise<unknown[]> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(type)) return parseInput(IngestRequestSchema, await readJson(request, maxBytes)).documents;
  const body = await readBody(request, maxBytes, "a multipart upload needs at least one file part");
  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": type } }).formData();
  } catch (error) {
    throw new AppError("invalid_request", `malformed multipart body: ${error instanceof Error ? error.message : "parse error"}`);
  }
  return uploadDocuments(form);
}

/** One document per file part, in order: id from the `id` field (one file) or the file name; type from the part. */
export async function uploadDocuments(form: FormData): Promise<Record<string, unknown>[]> {
  const files: File[] = [];
  const fields: Partial<Record<(typeof FIELDS)[number], string>> = {};
  for (const [name, value] of form) {
    if (typeof value !== "string") {
      files.push(value);
      continue;
    }
    if (!(FIELDS as readonly string[]).includes(name)) throw new AppError("invalid_request", `unknown form field "${name.slice(0, 64)}": fields are ${FIELDS.join(", ")}; documents are file parts`);
    const key = name as (typeof FIELDS)[number];
    if (fields[key] !== undefined) throw new AppError("invalid_request", `form field "${name}" appears more than once`);
    fields[key] = value;
  }
  if (files.length === 0) throw new AppError("invalid_request", "a multipart upload needs at least one file part (a part with a filename)");
  const single = SINGLE_FILE_FIELDS.filter((f) => f in fields);
  if (files.length > 1 && single.length > 0) {
    throw new AppError("invalid_request", `form fields ${single.join(", ")} describe one document; with ${files.length} files, each id comes from its file name`);
  }
  let metadata: unknown;
  if (fields.metadata !== undefined) {
    try {
      metadata = JSON.parse(fields.metadata);
    } catch {
      throw new AppError("invalid_request", "form field metadata must be a JSON object");
    }
  }
  return Promise.all(
    files.map(async (file) => {
      const contentType = fields.contentType ?? partType(file);
      const bytes = new Uint8Array(await file.arrayBuffer());
      const doc: Record<string, unknown> = { id: fields.id ?? idFromFileName(file.name), contentType };
      if (isFileContentType(contentType)) doc.data = bytes;
      else doc.text = new TextDecoder().decode(bytes);
      if (fields.title !== undefined) doc.title = fields.title;
      if (fields.url !== undefined) doc.url = fields.url;
      if (metadata !== undefined) doc.metadata = metadata;
      return doc;
    }),
  );
}

/** The part's own type when it is one ingest accepts, else the file name's extension, else the part's type as sent. */
export function partType(file: File): string {
  const declared = file.type.split(";")[0]!.trim().toLowerCase();
  if (ACCEPTED.has(declared)) return declared;
  const extension = /\.([A-Za-z0-9]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? "";
  return BY_EXTENSION[extension] ?? (declared || "application/octet-stream");
}

/** A document id from a file name: its base name with characters ids may not have replaced by "-". */
export function idFromFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  return base
    .replace(/[^A-Za-z0-9._:@-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, MAX_ID_CHARS);
}
