// The read side of the documents database, for search: BM25 keyword hits (typo-tolerant for hybrid), chunk rows by id
// and the tenant's index version. Every statement filters on tenant_id.
import { stem, type MetadataFilter, type RetrievedChunk } from "@platform/shared";
import { filterSql } from "./filter-sql.ts";
import { MAX_TYPO_WORDS, openMatchExpression, queryTerms, typoCandidates, typoVariants } from "./fts-query.ts";

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

export interface Hit {
  id: string;
  score: number;
}

/**
 * The tenant's best BM25 matches for `keywords` with their rows, best first, with their (positive, higher is better)
 * scores: keyword mode's one statement.
 */
export async function keywordSearch(db: D1Database, tenantId: string, keywords: readonly string[], filter: MetadataFilter | undefined, limit: number): Promise<(ChunkRow & Hit)[]> {
  const terms = queryTerms(keywords);
  if (terms.length === 0) return [];
  const { results } = await bm25Statement(db, tenantId, terms, filter, limit, true).all<ChunkRow & Hit>();
  return results;
}

// The candidate words ([word, stem] pairs) whose stem the tenant's vocabulary lacks. A tenant without a vocabulary
// (documents ingested before migration 0004 only) has no word absent.
const ABSENT_WORDS = `SELECT json_extract(j.value, '$[0]') AS word FROM json_each(?2) j
  WHERE EXISTS (SELECT 1 FROM tenant_terms WHERE tenant_id = ?1)
    AND NOT EXISTS (SELECT 1 FROM tenant_terms t WHERE t.tenant_id = ?1 AND t.term = json_extract(j.value, '$[1]'))`;

/**
 * Hybrid's keyword side: the tenant's best BM25 matches as ids and scores (the rows of the hits that make the cut are
 * read afterwards, in one statement: `hydrate`), tolerating one typo a word. A query word of 5+ letters that is not
 * in the tenant's vocabulary (tenant_terms) is also matched by each of its one-edit variants that is. Which words are
 * absent is asked first (a few B-tree lookups), so BM25, the costly part, runs once: plain, or with the variants.
 */
export async function typoTolerantSearch(db: D1Database, tenantId: string, keywords: readonly string[], filter: MetadataFilter | undefined, limit: number): Promise<Hit[]> {
  const terms = queryTerms(keywords);
  if (terms.length === 0) return [];
  const candidates = typoCandidates(terms);
  const absent = candidates.length === 0 ? [] : (await db.prepare(ABSENT_WORDS).bind(tenantId, JSON.stringify(candidates.map((w) => [w, stem(w)]))).all<{ word: string }>()).results;
  const words = absent.map((r) => r.word).slice(0, MAX_TYPO_WORDS);
  const { results } = await bm25Statement(db, tenantId, terms, filter, limit, false, words.length > 0 ? typoVariants(words) : undefined).all<Hit>();
  return results;
}

/**
 * The BM25 statement. With `variants` ([stem, word] pairs) MATCH also takes each word whose stem is in the tenant's
 * vocabulary, picked in the statement itself.
 */
function bm25Statement(db: D1Database, tenantId: string, terms: readonly string[], filter: MetadataFilter | undefined, limit: number, withRows = false, variants?: [string, string][]): D1PreparedStatement {
  const where = filterSql(filter);
  const columns = withRows ? COLUMNS : "c.id";
  const open = openMatchExpression(tenantId, terms);
  const [match, matchParams] = variants
    ? [`(? || coalesce((SELECT group_concat(' OR "' || json_extract(v.value, '$[1]') || '"', '') FROM json_each(?) v
         WHERE EXISTS (SELECT 1 FROM tenant_terms t WHERE t.tenant_id = ? AND t.term = json_extract(v.value, '$[0]'))), '') || ')')`, [open, JSON.stringify(variants), tenantId]]
    : ["?", [`${open})`]];
  // Without a metadata filter the tenant token in MATCH already keeps other tenants out, so FTS5 ranks and cuts to
  // `limit` before the join: one chunks lookup per hit instead of one per matching row (a long query matches most
  // of a tenant's chunks; ~25 % of the statement at 10,000 chunks). A filter needs the chunk columns first.
  // CROSS JOIN makes the FTS side the outer loop: left to itself the planner may walk every chunk row of the
  // tenant (by the tenant_id index) and probe the FTS table once per row, seconds instead of a millisecond.
  const sql = where.sql
    ? `SELECT ${columns}, -${BM25} AS score FROM chunks_fts CROSS JOIN chunks c ON c.pk = chunks_fts.rowid
       WHERE chunks_fts MATCH ${match} AND c.tenant_id = ?${where.sql} ORDER BY score DESC LIMIT ?`
    : `SELECT ${columns}, -f.s AS score
       FROM (SELECT rowid, ${BM25} AS s FROM chunks_fts WHERE chunks_fts MATCH ${match} ORDER BY s LIMIT ?) f
       CROSS JOIN chunks c ON c.pk = f.rowid WHERE c.tenant_id = ? ORDER BY score DESC`;
  const params = where.sql ? [...matchParams, tenantId, ...where.params, limit] : [...matchParams, limit, tenantId];
  return db.prepare(sql).bind(...params);
}

export interface Hydrated {
  /** The rows of the first `need` ids (in the given order) that still have one. */
  rows: Map<string, ChunkRow>;
  /** Every given id that still has a row. */
  live: Set<string>;
}

/**
 * Which of `ids` (best first) still exist for the tenant, with the rows of the first `need` of them that do: one
 * statement (the ids bound as one JSON array; a window numbers the live ones in the given order, so stale ids are
 * skipped without a second round trip and only `need` texts travel). CROSS JOIN keeps the id list the outer loop:
 * without table statistics the planner may otherwise walk all the tenant's chunks, 40 ms instead of 0.3.
 */
export async function hydrate(db: D1Database, tenantId: string, ids: readonly string[], need: number): Promise<Hydrated> {
  const rows = new Map<string, ChunkRow>();
  const live = new Set<string>();
  if (ids.length === 0) return { rows, live };
  const { results } = await db
    .prepare(
      `SELECT id, n <= ?3 AS wanted, doc_id, title, url, headings, CASE WHEN n <= ?3 THEN text END AS text, metadata
       FROM (SELECT ${COLUMNS}, row_number() OVER (ORDER BY CAST(j.key AS INTEGER)) AS n
             FROM json_each(?1) j CROSS JOIN chunks c ON c.tenant_id = ?2 AND c.id = j.value)`,
    )
    .bind(JSON.stringify(ids), tenantId, need)
    .all<ChunkRow & { wanted: number }>();
  for (const { wanted, ...row } of results) {
    live.add(row.id);
    if (wanted) rows.set(row.id, row);
  }
  return { rows, live };
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
