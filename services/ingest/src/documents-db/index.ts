// The documents database (D1) has one owner: ingest. Its schema is ../../migrations; every statement against it lives
// in this folder: the write side (write.ts) for ingest, the read side (read.ts) that search imports as
// "@platform/ingest/documents-db", in process, so retrieval pays no extra hop.
export { hydrate, indexVersion, keywordSearch, toChunk, typoTolerantSearch, type ChunkRow, type Hit, type Hydrated, type IndexVersion } from "./read.ts";

/** The tables search reads (its health probe checks they exist). */
export const READ_TABLES = ["chunks", "chunks_fts", "tenant_index", "tenant_terms"] as const;
/** Every table of the database. */
export const TABLES = ["documents", ...READ_TABLES, "ingest_jobs", "ingest_job_docs"] as const;
