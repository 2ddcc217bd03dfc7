// A chunk's Vectorize metadata: what filters and citations need (document id, position, title, url, heading path,
// content type) plus the document's own metadata, bounded well under Vectorize's 10 KiB per vector.
import type { DocumentMetadata } from "@platform/shared";

export const MAX_VECTOR_METADATA_BYTES = 10 * 1024;
const TITLE_CHARS = 200;
const URL_CHARS = 1024;
const HEADINGS_CHARS = 400;

export interface ChunkMetadataInput {
  docId: string;
  chunk: number;
  title?: string | undefined;
  url?: string | undefined;
  headings: readonly string[];
  contentType: string;
  metadata: DocumentMetadata;
  /** The page a chunk of a paged document (PDF) comes from. */
  page?: number | undefined;
}

export type VectorMetadata = Record<string, string | number | boolean>;

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

export function vectorMetadata(input: ChunkMetadataInput): VectorMetadata {
  const base: VectorMetadata = { docId: input.docId, chunk: input.chunk, contentType: input.contentType };
  if (input.title) base.title = input.title.slice(0, TITLE_CHARS);
  if (input.url && input.url.length <= URL_CHARS) base.url = input.url;
  if (input.headings.length) base.headings = input.headings.join(" > ").slice(0, HEADINGS_CHARS);
  if (input.page !== undefined) base.page = input.page;
  // The document's own keys never shadow the platform's (the gateway rejects reserved keys; this keeps it true here).
  const withOwn = { ...input.metadata, ...base };
  return bytes(withOwn) < MAX_VECTOR_METADATA_BYTES ? withOwn : base;
}
