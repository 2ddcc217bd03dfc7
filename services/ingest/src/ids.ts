// Content hashes and ids: a document's version is the hash of everything that shapes its chunks; a chunk id is a
// hash of tenant, document, version and position (64 hex characters, Vectorize's 64-byte id limit).
import { sha256Hex, stableJson, type DocumentMetadata } from "@platform/shared";
import type { ChunkOptions } from "./chunk.ts";

/** Bump when normalising or chunking changes, so re-ingesting re-indexes documents under the new rules. */
export const PIPELINE_VERSION = 1;

export interface VersionInput {
  contentType: string;
  text: string;
  title?: string | undefined;
  url?: string | undefined;
  metadata: DocumentMetadata;
  chunking: ChunkOptions;
  embeddingModel: string;
}

/** Same input, same hash: key order of metadata does not matter. */
export function contentHash(input: VersionInput): Promise<string> {
  return sha256Hex(
    stableJson([PIPELINE_VERSION, input.contentType, input.text, input.title ?? null, input.url ?? null, input.metadata, input.chunking.size, input.chunking.overlap, input.embeddingModel]),
  );
}

export function chunkId(tenantId: string, docId: string, version: string, index: number): Promise<string> {
  return sha256Hex(`${tenantId}\u0000${docId}\u0000${version}\u0000${index}`);
}
