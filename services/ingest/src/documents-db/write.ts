// The write side of the documents database, for ingest: documents, their chunks, the tenant's vocabulary and index
// version. Every statement filters on tenant_id and binds at most 100 parameters (many rows travel as one JSON
// value); a group of documents changes in one batch.
import { ftsTenantToken, inGroups, type ContentType, type DocumentMetadata, type DocumentPage, type DocumentSummary } from "@platform/shared";
import { tenantScope, vocabulary } from "./fts-query.ts";

/** D1 binds at most 100 parameters per statement. */
export const MAX_PARAMS = 100;

export interface ChunkRecord {
  id: string;
  seq: number;
  text: string;
  headings: string[];
  /** A PDF chunk's page, stored with the document's metadata in the chunk row (retrieve and filters see it there). */
  page?: number | undefined;
}

export interface DocumentRecord {
  id: string;
  version: string;
  title?: string | undefined;
  url?: string | undefined;
  contentType: ContentType;
  metadata: DocumentMetadata;
  bytes: number;
  chunks: ChunkRecord[];
}

/** The stored version (content hash) of each of `ids` that exists for the tenant. */
export async function storedVersions(db: D1Database, tenantId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  for (const group of inGroups([...new Set(ids)], MAX_PARAMS - 1)) {
    const marks = group.map(() => "?").join(",");
    const { results } = await db.prepare(`SELECT id, version FROM documents WHERE tenant_id = ? AND id IN (${marks})`).bind(tenantId, ...group).all<{ id: string; version: string }>();
    for (const row of results) versions.set(row.id, row.version);
  }
  return versions;
}

/** Rows travel as one JSON array per statement (json_each), at most this many bytes of it, under D1's value size. */
const JSON_BYTES_PER_STATEMENT = 512 * 1024;

/** Groups `rows` into JSON arrays of at most JSON_BYTES_PER_STATEMENT (a row larger than that goes alone). */
export function jsonGroups(rows: readonly unknown[]): string[] {
  const groups: string[] = [];
  let current: string[] = [];
  let bytes = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (current.length > 0 && bytes + json.length + 1 > JSON_BYTES_PER_STATEMENT) {
      groups.push(`[${current.join(",")}]`);
      current = [];
      bytes = 2;
    }
    current.push(json);
    bytes += json.length + 1;
  }
  if (current.length > 0) groups.push(`[${current.join(",")}]`);
  return groups;
}

/** The first `count` elements of json_each's current row (`j.value`, one JSON array), as SELECT columns. */
export function jsonColumns(count: number): string {
  return Array.from({ length: count }, (_, i) => `json_extract(j.value, '$[${i}]')`).join(", ");
}

/**
 * The statements that make each of `docs` the tenant's current version of it, a few for the whole group whatever
 * its size (rows travel as JSON arrays): drop chunk rows of any other version (returning their ids, which are also
 * their vector ids), insert the new versions' chunks (a concurrent writer of the same version inserts the same ids,
 * so nothing doubles) and upsert the document rows. The first `displacing` statements' results list the displaced
 * chunk ids with their document. Document ids must be unique within `docs`.
 */
export function documentStatements(db: D1Database, tenantId: string, docs: readonly DocumentRecord[], now: number): { statements: D1PreparedStatement[]; displacing: number } {
  if (new Set(docs.map((d) => d.id)).size !== docs.length) throw new Error("documentStatements: a document id appears twice in one commit");
  const token = ftsTenantToken(tenantId);
  // CROSS JOIN keeps the (small) document list the outer loop, probing chunks by its (tenant_id, doc_id) index.
  const statements = jsonGroups(docs.map((d) => [d.id, d.version])).map((json) =>
    db
      .prepare(
        `DELETE FROM chunks WHERE pk IN (SELECT c.pk FROM json_each(?2) j CROSS JOIN chunks c
           ON c.tenant_id = ?1 AND c.doc_id = json_extract(j.value, '$[0]') AND c.version <> json_extract(j.value, '$[1]'))
         RETURNING id, doc_id`,
      )
      .bind(tenantId, json),
  );
  const displacing = statements.length;
  const chunkRows = docs.flatMap((d) => {
    const metadata = JSON.stringify(d.metadata);
    return d.chunks.map((c) => [c.id, d.id, c.seq, d.version, d.title ?? null, d.url ?? null, c.headings.join(" > "), c.text, d.contentType, c.page === undefined ? metadata : JSON.stringify({ ...d.metadata, page: c.page })]);
  });
  for (const json of jsonGroups(chunkRows)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO chunks (tenant_id, tenant_token, id, doc_id, seq, version, title, url, headings, text, content_type, metadata, created_at)
           SELECT ?1, ?2, ${jsonColumns(10)}, ?3 FROM json_each(?4) j WHERE true
           ON CONFLICT (tenant_id, id) DO NOTHING`,
        )
        .bind(tenantId, token, now, json),
    );
  }
  const docRows = docs.map((d) => [d.id, d.version, d.title ?? null, d.url ?? null, d.contentType, JSON.stringify(d.metadata), d.chunks.length, d.bytes]);
  for (const json of jsonGroups(docRows)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO documents (tenant_id, id, version, title, url, content_type, metadata, chunk_count, bytes, created_at, updated_at)
           SELECT ?1, ${jsonColumns(8)}, ?2, ?2 FROM json_each(?3) j WHERE true
           ON CONFLICT (tenant_id, id) DO UPDATE SET version = excluded.version, title = excluded.title, url = excluded.url,
             content_type = excluded.content_type, metadata = excluded.metadata, chunk_count = excluded.chunk_count,
             bytes = excluded.bytes, updated_at = excluded.updated_at`,
        )
        .bind(tenantId, now, json),
    );
  }
  // The tenant's vocabulary grows by the words of these chunks (typo tolerance, fts-query.ts).
  const terms = vocabulary(docs.flatMap((d) => [d.title ?? "", ...d.chunks.flatMap((c) => [c.text, ...c.headings])]));
  for (const json of jsonGroups([...terms.keys()])) {
    statements.push(db.prepare(`INSERT INTO tenant_terms (tenant_id, term) SELECT ?1, value FROM json_each(?2) WHERE true ON CONFLICT DO NOTHING`).bind(tenantId, json));
  }
  return { statements, displacing };
}

/** Bumps the tenant's index version (search caches are keyed on it). */
export function bumpIndexVersion(db: D1Database, tenantId: string, now: number): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO tenant_index (tenant_id, version, changed_at) VALUES (?, 1, ?) ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at`)
    .bind(tenantId, now);
}

/**
 * Commits documents in one batch (one transaction) with `extra` statements after them. Returns, per document id,
 * the chunk ids the commit displaced: their vectors are to be deleted.
 */
export async function commitDocuments(db: D1Database, tenantId: string, docs: readonly DocumentRecord[], extra: readonly D1PreparedStatement[], now: number): Promise<Map<string, string[]>> {
  const { statements, displacing } = docs.length > 0 ? documentStatements(db, tenantId, docs, now) : { statements: [], displacing: 0 };
  if (docs.length > 0) statements.push(bumpIndexVersion(db, tenantId, now));
  statements.push(...extra);
  if (statements.length === 0) return new Map();
  const results = await db.batch<{ id: string; doc_id: string }>(statements);
  const displaced = new Map<string, string[]>();
  for (const result of results.slice(0, displacing)) {
    for (const row of result.results ?? []) displaced.set(row.doc_id, [...(displaced.get(row.doc_id) ?? []), row.id]);
  }
  return displaced;
}

/**
 * Deletes a document and its chunk rows, then the words of the tenant's vocabulary that only they held; returns the
 * chunk (vector) ids, or null when the tenant has no such document.
 */
export async function deleteDocumentRows(db: D1Database, tenantId: string, docId: string, now: number): Promise<string[] | null> {
  const [, chunks, doc] = await db.batch<{ id: string; title: string | null; headings: string; text: string }>([
    db
      .prepare(
        `INSERT INTO tenant_index (tenant_id, version, changed_at) SELECT ?, 1, ? WHERE EXISTS (SELECT 1 FROM documents WHERE tenant_id = ? AND id = ?)
         ON CONFLICT (tenant_id) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at`,
      )
      .bind(tenantId, now, tenantId, docId),
    db.prepare(`DELETE FROM chunks WHERE tenant_id = ? AND doc_id = ? RETURNING id, title, headings, text`).bind(tenantId, docId),
    db.prepare(`DELETE FROM documents WHERE tenant_id = ? AND id = ? RETURNING id`).bind(tenantId, docId),
  ]);
  if (!doc || doc.results.length === 0) return null;
  const rows = chunks?.results ?? [];
  await pruneVocabulary(db, tenantId, rows.flatMap((r) => [r.title ?? "", r.headings, r.text])).catch(() => {
    // The document is gone either way; a word left behind only makes a correction that matches nothing.
  });
  return rows.map((r) => r.id);
}

/** Drops the stems of `texts` that none of the tenant's remaining chunks holds (FTS5 stems each word as the index did). */
async function pruneVocabulary(db: D1Database, tenantId: string, texts: string[]): Promise<void> {
  for (const json of jsonGroups([...vocabulary(texts)])) {
    await db
      .prepare(
        `DELETE FROM tenant_terms WHERE tenant_id = ?1 AND term IN (SELECT json_extract(j.value, '$[0]') FROM json_each(?2) j
           WHERE NOT EXISTS (SELECT 1 FROM chunks_fts WHERE chunks_fts MATCH ?3 || '"' || json_extract(j.value, '$[1]') || '"'))`,
      )
      .bind(tenantId, json, tenantScope(tenantId))
      .run();
  }
}

interface DocumentRow {
  id: string;
  version: string;
  title: string | null;
  url: string | null;
  content_type: ContentType;
  metadata: string;
  chunk_count: number;
  bytes: number;
  created_at: number;
  updated_at: number;
}

/** One page of the tenant's documents in id order; the cursor is the last id of the previous page. */
export async function listDocuments(db: D1Database, tenantId: string, after: string | undefined, limit: number): Promise<DocumentPage> {
  const { results } = await db
    .prepare(
      `SELECT id, version, title, url, content_type, metadata, chunk_count, bytes, created_at, updated_at FROM documents
       WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
    )
    .bind(tenantId, after ?? "", limit + 1)
    .all<DocumentRow>();
  const page = results.slice(0, limit).map(toSummary);
  return { documents: page, nextCursor: results.length > limit ? encodeCursor(page[page.length - 1]!.id) : null };
}

export const encodeCursor = (id: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(id))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** The id a cursor stands for, or undefined when it is not one of ours. */
export function decodeCursor(cursor: string): string | undefined {
  try {
    const binary = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

function toSummary(row: DocumentRow): DocumentSummary {
  return {
    id: row.id,
    title: row.title,
    url: row.url,
    contentType: row.content_type,
    metadata: JSON.parse(row.metadata) as DocumentMetadata,
    chunks: row.chunk_count,
    bytes: row.bytes,
    contentHash: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
