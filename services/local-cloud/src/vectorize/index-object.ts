// VectorIndex: one SQLite Durable Object per Vectorize index name. Vectors live in SQL as float32 BLOBs; each
// namespace's vectors are decoded once into one Float32Array packed by dimension (unit vectors for cosine) kept in
// memory until a write touches the namespace, so a query reads its non-zero dimensions' columns and keeps a top K.
import { DurableObject } from "cloudflare:workers";
import { inGroups } from "@platform/shared";
import type { IndexConfig } from "./config.ts";
import { vectorizeError, type Operation } from "./errors.ts";
import { matchesFilter } from "./filter.ts";
import type { CheckedQuery, CheckedVector } from "./limits.ts";
import { closeness, packColumns, reportedScore, topRows } from "./metric.ts";

// Vectors without a namespace are stored under "", a name callers cannot give (namespaces are non-empty).
const DEFAULT_NAMESPACE = "";
// Durable Object SQL binds at most 100 parameters per statement.
const IDS_PER_STATEMENT = 100;

interface NamespaceSlice {
  ids: string[];
  /** The vectors packed by dimension (packColumns): scaled to unit length for cosine, as stored for the others. */
  matrix: Float32Array;
  metadataJson: (string | null)[];
  metadata: (Record<string, unknown> | null | undefined)[];
}

type Row = { id: string; namespace: string; vals: ArrayBuffer; metadata: string | null };

export class VectorIndex extends DurableObject<LocalCloudEnv> {
  private readonly sql = this.ctx.storage.sql;
  private readonly slices = new Map<string, NamespaceSlice>();

  constructor(ctx: DurableObjectState, env: LocalCloudEnv) {
    super(ctx, env);
    // No NOT NULL (write() always sets namespace and vals): a constraint that can abort makes SQLite keep a statement
    // journal, a temporary file, for each multi-row INSERT OR REPLACE in the transaction (2 % of bulk ingest's CPU).
    this.sql.exec(`CREATE TABLE IF NOT EXISTS vectors (id TEXT PRIMARY KEY, namespace TEXT, vals BLOB, metadata TEXT)`);
    this.sql.exec(`CREATE INDEX IF NOT EXISTS vectors_by_namespace ON vectors (namespace)`);
    this.sql.exec(`CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  }

  write(config: IndexConfig, op: "INSERT" | "UPSERT", vectors: CheckedVector[]): VectorizeAsyncMutation {
    this.checkConfig(config, op, true);
    this.ctx.storage.transactionSync(() => {
      // Which ids exist (and in which namespace), a statement per 100 ids rather than one per vector.
      const existing = new Map<string, string>();
      for (const chunk of inGroups(vectors.map((v) => v.id), IDS_PER_STATEMENT)) {
        const marks = chunk.map(() => "?").join(",");
        for (const row of this.sql.exec<{ id: string; namespace: string }>(`SELECT id, namespace FROM vectors WHERE id IN (${marks})`, ...chunk)) existing.set(row.id, row.namespace);
      }
      const rows: [string, string, ArrayBufferLike, string | null][] = [];
      for (const v of vectors) {
        const previous = existing.get(v.id);
        if (previous !== undefined && op === "INSERT") continue; // insert skips ids that exist; upsert replaces them
        const namespace = v.namespace ?? DEFAULT_NAMESPACE;
        rows.push([v.id, namespace, v.values.buffer.slice(v.values.byteOffset, v.values.byteOffset + v.values.byteLength), v.metadata]);
        if (previous !== undefined) this.slices.delete(previous);
        this.slices.delete(namespace);
        // A batch naming an id twice: the second sees the first's row (and replaces it, being later in the insert).
        existing.set(v.id, namespace);
      }
      // As many rows a statement as its parameters allow (4 a row), not a statement per vector.
      for (const chunk of inGroups(rows, IDS_PER_STATEMENT / 4)) {
        this.sql.exec(`INSERT OR REPLACE INTO vectors (id, namespace, vals, metadata) VALUES ${chunk.map(() => "(?, ?, ?, ?)").join(", ")}`, ...chunk.flat());
      }
    });
    return { mutationId: this.recordMutation() };
  }

  deleteByIds(config: IndexConfig, ids: string[]): VectorizeAsyncMutation {
    this.checkConfig(config, "DELETE", false);
    this.ctx.storage.transactionSync(() => {
      for (const chunk of inGroups(ids, IDS_PER_STATEMENT)) {
        const marks = chunk.map(() => "?").join(",");
        for (const row of this.sql.exec<{ namespace: string }>(`SELECT DISTINCT namespace FROM vectors WHERE id IN (${marks})`, ...chunk)) {
          this.slices.delete(row.namespace);
        }
        this.sql.exec(`DELETE FROM vectors WHERE id IN (${marks})`, ...chunk);
      }
    });
    return { mutationId: this.recordMutation() };
  }

  getByIds(config: IndexConfig, ids: string[]): VectorizeVector[] {
    this.checkConfig(config, "GET", false);
    const found = new Map<string, VectorizeVector>();
    for (const chunk of inGroups(ids, IDS_PER_STATEMENT)) {
      const rows = this.sql.exec<Row>(`SELECT id, namespace, vals, metadata FROM vectors WHERE id IN (${chunk.map(() => "?").join(",")})`, ...chunk);
      for (const row of rows) found.set(row.id, toVector(row));
    }
    return [...new Set(ids)].flatMap((id) => found.get(id) ?? []);
  }

  query(config: IndexConfig, vector: Float32Array, options: CheckedQuery): VectorizeMatches {
    this.checkConfig(config, "QUERY", false);
    const namespace = options.namespace ?? DEFAULT_NAMESPACE;
    const slice = this.slice(namespace, config.metric);
    const scores = new Float64Array(slice.ids.length);
    closeness(config.metric, vector, slice.matrix, scores);
    const filter = options.filter;
    const best = topRows(scores, options.topK, filter ? (r) => matchesFilter(filter, metadataAt(slice, r)) : undefined);
    // Values come from storage, exactly as written (the cosine matrix holds scaled copies).
    const values = options.returnValues ? this.valuesOf(best.map((r) => slice.ids[r]!)) : undefined;
    const matches = best.map((r): VectorizeMatch => {
      const match: VectorizeMatch = { id: slice.ids[r]!, score: reportedScore(config.metric, scores[r]!) };
      if (values) match.values = values.get(match.id) ?? [];
      const metadata = metadataAt(slice, r);
      if (options.returnMetadata && metadata) match.metadata = metadata as VectorizeVector["metadata"];
      if (namespace !== DEFAULT_NAMESPACE) match.namespace = namespace;
      return match;
    });
    return { count: matches.length, matches };
  }

  queryById(config: IndexConfig, id: string, options: CheckedQuery): VectorizeMatches {
    this.checkConfig(config, "QUERY", false);
    const row = this.sql.exec<Row>(`SELECT id, namespace, vals, metadata FROM vectors WHERE id = ?`, id).toArray()[0];
    if (!row) return { count: 0, matches: [] };
    return this.query(config, new Float32Array(row.vals), options);
  }

  describe(config: IndexConfig): VectorizeIndexInfo {
    this.checkConfig(config, "QUERY", false);
    const count = this.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM vectors`).one().n;
    return {
      vectorCount: count,
      dimensions: config.dimensions,
      // workers-types declares both as numbers (the REST API shows an ISO date and a UUID): epoch ms and a sequence.
      processedUpToDatetime: Number(this.setting("processed_at") ?? 0),
      processedUpToMutation: Number(this.setting("mutations") ?? 0),
    };
  }

  /** An index keeps the dimensions and metric it was created with, as a real index does. */
  private checkConfig(config: IndexConfig, op: Operation, create: boolean): void {
    const stored = this.setting("config");
    const wanted = JSON.stringify({ dimensions: config.dimensions, metric: config.metric });
    if (stored === undefined) {
      if (create) this.sql.exec(`INSERT INTO settings (key, value) VALUES ('config', ?)`, wanted);
      return;
    }
    if (stored !== wanted) {
      throw vectorizeError(op, `index "${config.index}" was created with ${stored} but the binding declares ${wanted}; use another index name or delete the local state (.wrangler/state)`);
    }
  }

  private recordMutation(): string {
    const next = Number(this.setting("mutations") ?? 0) + 1;
    this.sql.exec(`INSERT OR REPLACE INTO settings (key, value) VALUES ('mutations', ?), ('processed_at', ?)`, String(next), String(Date.now()));
    return crypto.randomUUID();
  }

  private setting(key: string): string | undefined {
    return this.sql.exec<{ value: string }>(`SELECT value FROM settings WHERE key = ?`, key).toArray()[0]?.value;
  }

  private slice(namespace: string, metric: VectorizeDistanceMetric): NamespaceSlice {
    const cached = this.slices.get(namespace);
    if (cached) return cached;
    const rows = this.sql.exec<Row>(`SELECT id, namespace, vals, metadata FROM vectors WHERE namespace = ? ORDER BY id`, namespace).toArray();
    const dims = rows[0] ? rows[0].vals.byteLength / 4 : 0;
    const slice: NamespaceSlice = {
      ids: rows.map((r) => r.id),
      matrix: packColumns(rows.map((r) => new Float32Array(r.vals)), dims, metric === "cosine"),
      metadataJson: rows.map((r) => r.metadata),
      metadata: new Array(rows.length),
    };
    this.slices.set(namespace, slice);
    return slice;
  }

  private valuesOf(ids: string[]): Map<string, number[]> {
    const values = new Map<string, number[]>();
    for (const chunk of inGroups(ids, IDS_PER_STATEMENT)) {
      const rows = this.sql.exec<Pick<Row, "id" | "vals">>(`SELECT id, vals FROM vectors WHERE id IN (${chunk.map(() => "?").join(",")})`, ...chunk);
      for (const row of rows) values.set(row.id, Array.from(new Float32Array(row.vals)));
    }
    return values;
  }
}

function metadataAt(slice: NamespaceSlice, row: number): Record<string, unknown> | null {
  let parsed = slice.metadata[row];
  if (parsed === undefined) {
    const json = slice.metadataJson[row];
    parsed = json ? (JSON.parse(json) as Record<string, unknown>) : null;
    slice.metadata[row] = parsed;
  }
  return parsed;
}

function toVector(row: Row): VectorizeVector {
  const vector: VectorizeVector = { id: row.id, values: Array.from(new Float32Array(row.vals)) };
  if (row.namespace !== DEFAULT_NAMESPACE) vector.namespace = row.namespace;
  if (row.metadata) vector.metadata = JSON.parse(row.metadata) as VectorizeVector["metadata"];
  return vector;
}
