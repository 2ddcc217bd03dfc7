// Read-only access to the documents database ingest writes: BM25 keyword hits, chunk rows by id and the tenant's
// index version. Every statement filters on tenant_id.
import type { MetadataFilter, RetrievedChunk } from "@platform/shared";
import { filterSql } from "./filter-sql.ts";
import { matchExpression } from "./fts-query.ts";

export interface ChunkRow {
  id: string;
  doc_id: string;
  title: string | null;
  url: string | null;
  headings: string;
  text: string;
  metadata: string;
}

const COLUMNS = "c.id, c.doc_id, c.title, c.url, c.headings, c.text, c.metadata";
/** bm25 column weights: tenant token (never scores), title, headings, text. */
const BM25 = "bm25(chunks_fts, 0.0, 2.0, 1.5, 1.0)";
const IDS_PER_STATEMENT = 99;

/** The tenant's best BM25 matches for `keywords`, best first, with their (positive, higher is better) scores. */
export async function keywordSearch(db: D1Database, tenantId: string, keywords: readonly string[], filter: MetadataFilter | undefined, limit: number): Promise<(ChunkRow & { score: number })[]> {
  const match = matchExpression(tenantId, keywords);
  if (match === null) return [];
  const where = filterSql(filter);
  const { results } = await db
    .prepare(
      // CROSS JOIN makes the FTS match the outer loop: left to itself the planner may walk every chunk row of the
      // tenant (by the tenant_id index) and probe the FTS table once per row, seconds instead of a millisecond.
      `SELECT ${COLUMNS}, -${BM25} AS score FROM chunks_fts CROSS JOIN chunks c ON c.pk = chunks_fts.rowid
       WHERE chunks_fts MATCH ? AND c.tenant_id = ?${where.sql} ORDER BY score DESC LIMIT ?`,
    )
    .bind(match, tenantId, ...where.params, limit)
    .all<ChunkRow & { score: number }>();
  return results;
}

/** Rows for chunk ids (vector ids) that still exist for the tenant. */
export async function chunksByIds(db: D1Database, tenantId: string, ids: readonly string[]): Promise<Map<string, ChunkRow>> {
  const rows = new Map<string, ChunkRow>();
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
    const group = ids.slice(i, i + IDS_PER_STATEMENT);
    statements.push(db.prepare(`SELECT ${COLUMNS} FROM chunks c WHERE c.tenant_id = ? AND c.id IN (${group.map(() => "?").join(",")})`).bind(tenantId, ...group));
  }
  if (statements.length === 0) return rows;
  for (const result of await db.batch<ChunkRow>(statements)) for (const row of result.results) rows.set(row.id, row);
  return rows;
}

export interface IndexVersion {
  version: number;
  changedAt: number;
}

export async function indexVersion(db: D1Database, tenantId: string): Promise<IndexVersion> {
  const row = await db.prepare(`SELECT version, changed_at FROM tenant_index WHERE tenant_id = ?`).bind(tenantId).first<{ version: number; changed_at: number }>();
  return row ? { version: row.version, changedAt: row.changed_at } : { version: 0, changedAt: 0 };
}

export function toChunk(row: ChunkRow, score: number, ranks: RetrievedChunk["ranks"]): RetrievedChunk {
  const chunk: RetrievedChunk = {
    docId: row.doc_id,
    chunkId: row.id,
    text: row.text,
    score,
    headings: row.headings ? row.headings.split(" > ") : [],
    metadata: JSON.parse(row.metadata) as RetrievedChunk["metadata"],
    ranks,
  };
  if (row.title !== null) chunk.title = row.title;
  if (row.url !== null) chunk.url = row.url;
  return chunk;
}
