// The audit log in D1: one row per tool call with the arguments' hash and the outcome, never the arguments or the
// result. Every statement filters on tenant_id; pages are newest first with a cursor.
import { auditTransport, TOOL_LIMITS, type AuditEntry, type AuditOutcome, type AuditPage, type AuditQuery } from "@platform/shared";

/** What the executor records: a public entry without its id, plus the tenant, with the time in epoch ms. */
export type AuditRecord = Omit<AuditEntry, "id" | "createdAt" | "transport"> & { tenantId: string; createdAt: number };

export interface AuditSink {
  record(entry: AuditRecord): Promise<void>;
}

interface AuditRow {
  seq: number;
  id: string;
  trace_id: string;
  key_id: string;
  tool: string;
  args_sha256: string;
  outcome: AuditOutcome;
  error_code: string | null;
  route: string;
  transport: AuditEntry["transport"];
  latency_ms: number;
  created_at: number;
}

const INSERT = `INSERT INTO audit_log (id, tenant_id, trace_id, key_id, tool, args_sha256, outcome, error_code, route, transport, latency_ms, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export function d1AuditSink(db: D1Database): AuditSink {
  return {
    async record(e) {
      await db
        .prepare(INSERT)
        .bind(crypto.randomUUID(), e.tenantId, e.traceId, e.keyId, e.tool, e.argsSha256, e.outcome, e.errorCode, e.route, auditTransport(e.route), Math.max(0, Math.round(e.latencyMs)), e.createdAt)
        .run();
    },
  };
}

/** The page query: always scoped to tenantId, then the optional filters and the cursor. */
export function pageStatement(tenantId: string, query: AuditQuery): { sql: string; params: (string | number)[]; limit: number } {
  const limit = Math.min(query.limit ?? TOOL_LIMITS.auditPageDefault, TOOL_LIMITS.auditPageMax);
  const where = ["tenant_id = ?"];
  const params: (string | number)[] = [tenantId];
  if (query.tool !== undefined) {
    where.push("tool = ?");
    params.push(query.tool);
  }
  if (query.outcome !== undefined) {
    where.push("outcome = ?");
    params.push(query.outcome);
  }
  if (query.cursor !== undefined) {
    where.push("seq < ?");
    params.push(Number(query.cursor));
  }
  params.push(limit + 1);
  const sql = `SELECT seq, id, trace_id, key_id, tool, args_sha256, outcome, error_code, route, transport, latency_ms, created_at
    FROM audit_log WHERE ${where.join(" AND ")} ORDER BY seq DESC LIMIT ?`;
  return { sql, params, limit };
}

export async function auditPage(db: D1Database, tenantId: string, query: AuditQuery): Promise<AuditPage> {
  const { sql, params, limit } = pageStatement(tenantId, query);
  const { results } = await db.prepare(sql).bind(...params).all<AuditRow>();
  const more = results.length > limit;
  const rows = results.slice(0, limit);
  const last = rows.at(-1);
  return { entries: rows.map(toEntry), nextCursor: more && last ? String(last.seq) : null };
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    traceId: row.trace_id,
    keyId: row.key_id,
    tool: row.tool,
    argsSha256: row.args_sha256,
    outcome: row.outcome,
    errorCode: row.error_code,
    route: row.route,
    transport: row.transport,
    latencyMs: row.latency_ms,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
