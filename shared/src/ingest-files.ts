// File documents in ingest requests (PDF, Word): their content types, the file's bytes from base64 or a multipart
// part, and the checks the gateway makes before the ingest service converts them to Markdown.

export const FILE_CONTENT_TYPES = ["application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"] as const;
export type FileContentType = (typeof FILE_CONTENT_TYPES)[number];

/** The largest file accepted, decoded (the tenant's `limits.maxBodyBytes` caps the whole request first). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export const isFileContentType = (value: unknown): value is FileContentType => (FILE_CONTENT_TYPES as readonly unknown[]).includes(value);

/** A file extension for each type, so the converter can name files as their owners would. */
export const FILE_EXTENSIONS: Readonly<Record<FileContentType, string>> = {
  "application/pdf": "pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
};

export type FileBytes = { ok: true; bytes: Uint8Array } | { ok: false; code: "invalid_request" | "payload_too_large"; reason: string };

/**
 * The file's bytes, from base64 (a `data:` URL prefix and whitespace are allowed) or as given, checked for size and
 * for the signature of its type: a PDF has `%PDF-` in its first KiB, a DOCX is a zip.
 */
export function fileBytes(data: string | Uint8Array, contentType: FileContentType): FileBytes {
  let bytes: Uint8Array;
  if (typeof data === "string") {
    const base64 = data.replace(/^data:[^,]*;base64,/, "").replace(/\s+/g, "");
    if (base64.length * 0.75 > MAX_FILE_BYTES + 3) return tooLarge(Math.floor(base64.length * 0.75));
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 === 1) return { ok: false, code: "invalid_request", reason: "data must be the file encoded in base64" };
    bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } else {
    bytes = data;
  }
  if (bytes.byteLength > MAX_FILE_BYTES) return tooLarge(bytes.byteLength);
  if (bytes.byteLength === 0) return { ok: false, code: "invalid_request", reason: "data must not be empty" };
  const head = String.fromCharCode(...bytes.subarray(0, 1024));
  if (contentType === "application/pdf" && !head.includes("%PDF-")) return { ok: false, code: "invalid_request", reason: "data is not a PDF file (no %PDF- header)" };
  if (contentType !== "application/pdf" && !head.startsWith("PK\u0003\u0004")) return { ok: false, code: "invalid_request", reason: "data is not a DOCX file (not a zip archive)" };
  return { ok: true, bytes };
}

function tooLarge(size: number): FileBytes {
  return { ok: false, code: "payload_too_large", reason: `the file is ${size} bytes, over the limit of ${MAX_FILE_BYTES} bytes per file` };
}
