// The admin audit log in the registry: who (key id), what, which tenant, when and the trace id; never key material.
import { iso, type Actor, type AuditEntry } from "./schema.ts";

export function audit(sql: SqlStorage, actor: Actor, action: string, tenantId: string | null, target: string | null): void {
  sql.exec("INSERT INTO audit (at, actor, action, tenant_id, trace_id, target) VALUES (?, ?, ?, ?, ?, ?)", Date.now(), actor.keyId, action, tenantId, actor.traceId, target);
}

/** Newest first; `cursor` is the last `seq` of the previous page. `tenantId` undefined: every tenant. */
export function readAudit(sql: SqlStorage, tenantId: string | undefined, cursor: number | undefined, limit: number) {
  const where: string[] = [];
  const args: SqlStorageValue[] = [];
  if (tenantId !== undefined) {
    where.push("tenant_id = ?");
    args.push(tenantId);
  }
  if (cursor !== undefined) {
    where.push("seq < ?");
    args.push(cursor);
  }
  const rows = sql
    .exec<{ seq: number; at: number; actor: string; action: string; tenant_id: string | null; trace_id: string; target: string | null }>(
      `SELECT seq, at, actor, action, tenant_id, trace_id, target FROM audit ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`,
      ...args, limit + 1)
    .toArray();
  const entries: AuditEntry[] = rows.slice(0, limit).map((r) => ({
    seq: r.seq, at: iso(r.at) as string, actor: r.actor, action: r.action, tenantId: r.tenant_id, traceId: r.trace_id, target: r.target,
  }));
  return { entries, nextCursor: rows.length > limit ? String(entries.at(-1)?.seq) : null };
}
