// Ingest contracts: the gateway's valibot schemas for documents (checked one by one) and the ingest service's RPC types.
import * as v from "valibot";
import { estimateTokens } from "./ai/index.ts";
import { FILE_CONTENT_TYPES, fileBytes, isFileContentType, type FileContentType } from "./ingest-files.ts";

export const CONTENT_TYPES = ["text/plain", "text/markdown", "text/html", "application/json"] as const;
/** A stored document's type: one of the text types above, or a file type (PDF, DOCX) converted to Markdown on ingest. */
export type ContentType = (typeof CONTENT_TYPES)[number] | FileContentType;

/** Caps per request and per document; the tenant's `limits.maxBodyBytes` caps the whole body before these apply. */
export const INGEST_LIMITS = {
  maxDocuments: 500,
  maxDocumentBytes: 512 * 1024,
  maxIdChars: 128,
  maxTitleChars: 512,
  maxUrlChars: 2048,
  maxMetadataKeys: 16,
  maxMetadataBytes: 2048,
  maxMetadataStringChars: 256,
  /** Batches up to this size are processed before the response; larger ones go through the queue. */
  syncMaxDocuments: 25,
  syncMaxBytes: 256 * 1024,
  documentsPageMax: 100,
  documentsPageDefault: 20,
  /** The longest `?wait=` a job read accepts, in seconds (docs/ingest.md). */
  maxJobWaitSeconds: 20,
} as const;

/** Keys the platform writes into every vector's metadata; a document's own metadata may not use them. */
export const RESERVED_METADATA_KEYS: readonly string[] = ["docId", "chunk", "title", "url", "headings", "contentType", "tenantId", "page"];

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;
export const DocumentIdSchema = v.pipe(
  v.string("id must be a string"),
  v.minLength(1, "id must not be empty"),
  v.maxLength(INGEST_LIMITS.maxIdChars, `id may have at most ${INGEST_LIMITS.maxIdChars} characters`),
  v.regex(ID_PATTERN, "id must start with a letter or digit and use only letters, digits and . _ : @ -"),
);

const METADATA_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const byteLength = (text: string) => new TextEncoder().encode(text).length;

export const MetadataSchema = v.pipe(
  v.record(
    v.pipe(v.string(), v.regex(METADATA_KEY, "metadata keys are 1-64 letters, digits and _, not starting with a digit")),
    v.union(
      [v.pipe(v.string(), v.maxLength(INGEST_LIMITS.maxMetadataStringChars)), v.pipe(v.number(), v.finite()), v.boolean()],
      `metadata values must be strings (at most ${INGEST_LIMITS.maxMetadataStringChars} characters), finite numbers or booleans`,
    ),
  ),
  v.check((m) => Object.keys(m).length <= INGEST_LIMITS.maxMetadataKeys, `metadata may have at most ${INGEST_LIMITS.maxMetadataKeys} keys`),
  v.check((m) => !Object.keys(m).some((k) => RESERVED_METADATA_KEYS.includes(k)), `metadata keys ${RESERVED_METADATA_KEYS.join(", ")} are reserved`),
  v.check((m) => byteLength(JSON.stringify(m)) <= INGEST_LIMITS.maxMetadataBytes, `metadata may have at most ${INGEST_LIMITS.maxMetadataBytes} bytes of JSON`),
);

export type DocumentMetadata = Record<string, string | number | boolean>;

const TitleSchema = v.optional(v.pipe(v.string(), v.trim(), v.maxLength(INGEST_LIMITS.maxTitleChars)));
const UrlSchema = v.optional(v.pipe(v.string(), v.url("url must be an absolute URL"), v.maxLength(INGEST_LIMITS.maxUrlChars)));

export const IngestDocumentSchema = v.strictObject({
  id: DocumentIdSchema,
  text: v.pipe(v.string("text must be a string"), v.check((t) => t.trim() !== "", "text must not be empty")),
  title: TitleSchema,
  url: UrlSchema,
  contentType: v.optional(v.picklist(CONTENT_TYPES, `contentType must be one of ${CONTENT_TYPES.join(", ")}`), "text/plain"),
  metadata: v.optional(MetadataSchema, {}),
});

export type IngestDocument = v.InferOutput<typeof IngestDocumentSchema>;

/** A PDF or Word file: base64 in `data` in JSON; a multipart upload hands the gateway its bytes. */
export const FileDocumentSchema = v.strictObject({
  id: DocumentIdSchema,
  data: v.union([v.string(), v.instance(Uint8Array)], "data must be the file encoded in base64"),
  title: TitleSchema,
  url: UrlSchema,
  contentType: v.picklist(FILE_CONTENT_TYPES),
  metadata: v.optional(MetadataSchema, {}),
});

/** A file document as the ingest service receives it: its bytes, decoded and checked by `splitDocuments`. */
export type FileDocument = Omit<v.InferOutput<typeof FileDocumentSchema>, "data"> & { data: Uint8Array };

export type AcceptedDocument = (IngestDocument | FileDocument) & { index: number };

/** The request envelope; each document is checked on its own by `splitDocuments` so one bad one rejects only itself. */
export const IngestRequestSchema = v.strictObject({
  documents: v.pipe(v.array(v.unknown(), "documents must be an array"), v.minLength(1, "documents must not be empty")),
});

export type RejectionCode = "invalid_request" | "payload_too_large" | "unsupported_media_type" | "conflict";

export interface RejectedDocument {
  /** Position in the request. */
  index: number;
  id?: string;
  code: RejectionCode;
  reason: string;
}

export interface SplitDocuments {
  accepted: AcceptedDocument[];
  rejected: RejectedDocument[];
}

/** Validates each document on its own: the good ones go on, the bad ones are rejected with a reason. */
export function splitDocuments(documents: readonly unknown[]): SplitDocuments {
  const accepted: SplitDocuments["accepted"] = [];
  const rejected: RejectedDocument[] = [];
  const seen = new Set<string>();
  documents.forEach((raw, index) => {
    const id = typeof raw === "object" && raw !== null && typeof (raw as { id?: unknown }).id === "string" ? (raw as { id: string }).id : undefined;
    const reject = (code: RejectionCode, reason: string) => rejected.push(id === undefined ? { index, code, reason } : { index, id, code, reason });
    const fields = typeof raw === "object" && raw !== null ? (raw as { text?: unknown; contentType?: unknown }) : {};
    const file = isFileContentType(fields.contentType);
    if (file && "text" in fields) return reject("invalid_request", `a ${String(fields.contentType)} document carries the file base64-encoded in data, not text`);
    if (file && !("data" in fields)) return reject("invalid_request", "data is required: the file encoded in base64");
    if (typeof fields.text === "string" && byteLength(fields.text) > INGEST_LIMITS.maxDocumentBytes) {
      return reject("payload_too_large", `text is ${byteLength(fields.text)} bytes, over the limit of ${INGEST_LIMITS.maxDocumentBytes} bytes per document`);
    }
    const result = v.safeParse(file ? FileDocumentSchema : IngestDocumentSchema, raw);
    if (!result.success) {
      const flat = v.flatten(result.issues);
      const fields = Object.entries(flat.nested ?? {}).map(([key, messages]) => `${key}: ${(messages ?? []).join("; ")}`);
      const reason = [...(flat.root ?? []), ...fields].join(" | ") || "document does not match the schema";
      const code = flat.nested?.contentType ? "unsupported_media_type" : "invalid_request";
      return reject(code, reason);
    }
    let doc: AcceptedDocument = { ...(result.output as IngestDocument), index };
    if ("data" in result.output) {
      const bytes = fileBytes(result.output.data, result.output.contentType);
      if (!bytes.ok) return reject(bytes.code, bytes.reason);
      doc = { ...result.output, data: bytes.bytes, index };
    }
    if (seen.has(doc.id)) return reject("conflict", `id "${doc.id}" appears more than once in this request`);
    seen.add(doc.id);
    accepted.push(doc);
  });
  return { accepted, rejected };
}

/**
 * The embedding tokens an ingest may spend, at four characters a token (chunk overlap and headings included). A file
 * counts a character a byte: its text is not known before conversion.
 */
export function estimateIngestTokens(documents: readonly ({ text: string } | { data: Uint8Array })[], overlapFactor = 1.25): number {
  return estimateTokens(documents.reduce((sum, d) => sum + ("text" in d ? d.text.length : d.data.byteLength), 0) * overlapFactor);
}

export interface IngestInput {
  documents: AcceptedDocument[];
  /** Documents the gateway rejected, recorded in the job so its status tells the whole story. */
  rejected: RejectedDocument[];
  /** The tokens the caller charges the job if it is queued (its estimate), until the job ends and is settled. */
  charge?: number;
}

export type DocumentStatus = "pending" | "indexed" | "unchanged" | "rejected" | "failed";
export type JobStatus = "queued" | "processing" | "completed" | "completed_with_errors" | "failed";

export interface DocumentOutcome {
  index: number;
  id?: string;
  status: DocumentStatus;
  chunks?: number;
  reason?: string;
}

export interface IngestJob {
  jobId: string;
  status: JobStatus;
  /** `sync`: processed before the response; `queued`: processed by the queue consumer. */
  mode: "sync" | "queued";
  createdAt: string;
  updatedAt: string;
  counts: Record<DocumentStatus, number> & { total: number };
  documents: DocumentOutcome[];
  /**
   * `embeddingTokens`: embedding tokens of the documents committed so far (failed ones add nothing).
   * `chargedTokens`: what the tenant is charged for the job: its estimate while a queued job runs, then exactly
   * `embeddingTokens` once it has ended (settled on the first read that finds it ended).
   */
  usage: { embeddingTokens: number; chargedTokens: number };
}

export const DocumentsQuerySchema = v.object({
  cursor: v.optional(v.pipe(v.string(), v.maxLength(256))),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d+$/, "limit must be a positive integer"), v.toNumber(), v.integer(), v.minValue(1), v.maxValue(INGEST_LIMITS.documentsPageMax)),
  ),
});

export interface DocumentsQuery {
  cursor?: string;
  limit?: number;
}

export interface DocumentSummary {
  id: string;
  title: string | null;
  url: string | null;
  contentType: ContentType;
  metadata: DocumentMetadata;
  chunks: number;
  bytes: number;
  contentHash: string;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentPage {
  documents: DocumentSummary[];
  nextCursor: string | null;
}

export interface DeleteResult {
  id: string;
  deleted: true;
  chunks: number;
}

export const JOB_ID_PATTERN = /^job_[0-9a-f]{32}$/;
