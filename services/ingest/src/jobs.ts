// Ingest jobs in D1: one row per job, one per document with its outcome (and, while queued, its payload).
import { inGroups, type DocumentOutcome, type DocumentStatus, type IngestJob, type JobStatus } from "@platform/shared";
import { jsonColumns, jsonGroups, MAX_PARAMS } from "./documents-db/write.ts";

/** Jobs are kept this long, then dropped when the tenant starts a new one. */
export const JOB_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export const newJobId = (): string => "job_" + crypto.randomUUID().replace(/-/g, "");

export interface NewJobDoc extends DocumentOutcome {
  payload?: string;
}

/**
 * Statements that create a job with its documents (and drop the tenant's jobs past retention). A sync job is charged
 * its `embeddingTokens`; a queued one `charge` (the caller's estimate) until it is settled (recordCharge).
 */
export function createJobStatements(db: D1Database, tenantId: string, jobId: string, mode: IngestJob["mode"], docs: readonly NewJobDoc[], embeddingTokens: number, now: number, charge = 0): D1PreparedStatement[] {
  const cutoff = now - JOB_RETENTION_MS;
  const statements = [
    db.prepare(`DELETE FROM ingest_job_docs WHERE tenant_id = ? AND job_id IN (SELECT id FROM ingest_jobs WHERE tenant_id = ? AND created_at < ?)`).bind(tenantId, tenantId, cutoff),
    db.prepare(`DELETE FROM ingest_jobs WHERE tenant_id = ? AND created_at < ?`).bind(tenantId, cutoff),
    db
      .prepare(`INSERT INTO ingest_jobs (tenant_id, id, mode, total, embedding_tokens, charged_tokens, created_at, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .bind(tenantId, jobId, mode, docs.length, embeddingTokens, mode === "sync" ? embeddingTokens : charge, now, mode === "sync" ? now : null, now),
  ];
  for (const json of jsonGroups(docs.map((d) => [d.index, d.id ?? null, d.status, d.chunks ?? null, d.reason ?? null, d.payload ?? null]))) {
    statements.push(
      db
        .prepare(`INSERT INTO ingest_job_docs (tenant_id, job_id, seq, doc_id, status, chunks, reason, payload) SELECT ?1, ?2, ${jsonColumns(6)} FROM json_each(?3) j`)
        .bind(tenantId, jobId, json),
    );
  }
  return statements;
}

/**
 * Records outcomes of a job's documents (clearing their payloads) and adds the tokens spent. The outcomes travel as
 * JSON, one statement per 512 KiB of them: an upsert onto the existing rows (an UPDATE ... FROM json_each would walk
 * every row of the job once per outcome), which the EXISTS keeps from ever adding a row.
 */
export function outcomeStatements(db: D1Database, tenantId: string, jobId: string, outcomes: readonly DocumentOutcome[], embeddingTokens: number, now: number): D1PreparedStatement[] {
  return [
    ...jsonGroups(outcomes.map((o) => [o.index, o.status, o.chunks ?? null, o.reason ?? null])).map((json) =>
      db
        .prepare(
          `INSERT INTO ingest_job_docs (tenant_id, job_id, seq, status, chunks, reason)
           SELECT ?1, ?2, ${jsonColumns(4)} FROM json_each(?3) j
           WHERE EXISTS (SELECT 1 FROM ingest_job_docs d WHERE d.tenant_id = ?1 AND d.job_id = ?2 AND d.seq = ${jsonColumns(1)})
           ON CONFLICT (tenant_id, job_id, seq) DO UPDATE SET status = excluded.status, chunks = excluded.chunks, reason = excluded.reason, payload = NULL`,
        )
        .bind(tenantId, jobId, json),
    ),
    db.prepare(`UPDATE ingest_jobs SET updated_at = ?, embedding_tokens = embedding_tokens + ? WHERE tenant_id = ? AND id = ?`).bind(now, embeddingTokens, tenantId, jobId),
  ];
}

/** Records the charge a queued job was settled to (the gateway settles it in its usage Durable Object first). */
export async function recordCharge(db: D1Database, tenantId: string, jobId: string, tokens: number): Promise<void> {
  await db.prepare(`UPDATE ingest_jobs SET charged_tokens = ? WHERE tenant_id = ? AND id = ? AND mode = 'queued'`).bind(tokens, tenantId, jobId).run();
}

export async function markStarted(db: D1Database, tenantId: string, jobId: string, now: number): Promise<void> {
  await db.prepare(`UPDATE ingest_jobs SET started_at = COALESCE(started_at, ?), updated_at = ? WHERE tenant_id = ? AND id = ?`).bind(now, now, tenantId, jobId).run();
}

/**
 * Notes a failed attempt on documents still pending (releasing their claim for the retry), so the job tells why it
 * is slow (or, at the end, why it failed).
 */
export async function notePendingFailure(db: D1Database, tenantId: string, jobId: string, seqs: readonly number[], reason: string, status: "pending" | "failed", now: number): Promise<void> {
  const statements = inGroups(seqs, MAX_PARAMS - 5).map((group) =>
    db
      .prepare(
        `UPDATE ingest_job_docs SET status = ?1,
           reason = CASE WHEN ?1 = 'failed' THEN ?2 || COALESCE(' (last error: ' || reason || ')', '') ELSE ?2 END,
           payload = CASE WHEN ?1 = 'failed' THEN NULL ELSE payload END, claimed_at = NULL
         WHERE tenant_id = ?3 AND job_id = ?4 AND status = 'pending' AND seq IN (${group.map((_, i) => `?${i + 5}`).join(",")})`,
      )
      .bind(status, reason, tenantId, jobId, ...group),
  );
  statements.push(db.prepare(`UPDATE ingest_jobs SET updated_at = ? WHERE tenant_id = ? AND id = ?`).bind(now, tenantId, jobId));
  await db.batch(statements);
}

/**
 * Claims a job's pending documents among `seqs` that no live consumer holds (unclaimed, or claimed before
 * `staleBefore`) and returns their payloads: a duplicate or re-driven message finds nothing left to do.
 */
export async function claimPayloads(db: D1Database, tenantId: string, jobId: string, seqs: readonly number[], now: number, staleBefore: number): Promise<{ seq: number; payload: string }[]> {
  const { results } = await db
    .prepare(
      `UPDATE ingest_job_docs SET claimed_at = ?1, attempts = attempts + 1
       WHERE tenant_id = ?2 AND job_id = ?3 AND status = 'pending' AND payload IS NOT NULL AND (claimed_at IS NULL OR claimed_at < ?4)
         AND seq IN (SELECT value FROM json_each(?5)) RETURNING seq, payload`,
    )
    .bind(now, tenantId, jobId, staleBefore, JSON.stringify(seqs))
    .all<{ seq: number; payload: string }>();
  return results.sort((a, b) => a.seq - b.seq);
}

interface JobRow {
  id: string;
  mode: IngestJob["mode"];
  total: number;
  embedding_tokens: number;
  charged_tokens: number | null;
  created_at: number;
  started_at: number | null;
  updated_at: number;
}

/** The job as the API shows it, or null when the tenant has no such job. */
export async function readJob(db: D1Database, tenantId: string, jobId: string): Promise<IngestJob | null> {
  const [jobs, docs] = await db.batch([
    db.prepare(`SELECT id, mode, total, embedding_tokens, charged_tokens, created_at, started_at, updated_at FROM ingest_jobs WHERE tenant_id = ? AND id = ?`).bind(tenantId, jobId),
    db.prepare(`SELECT seq, doc_id, status, chunks, reason FROM ingest_job_docs WHERE tenant_id = ? AND job_id = ? ORDER BY seq`).bind(tenantId, jobId),
  ]);
  const job = (jobs?.results as JobRow[] | undefined)?.[0];
  if (!job) return null;
  const rows = (docs?.results ?? []) as { seq: number; doc_id: string | null; status: DocumentStatus; chunks: number | null; reason: string | null }[];
  const documents = rows.map((r): DocumentOutcome => {
    const outcome: DocumentOutcome = { index: r.seq, status: r.status };
    if (r.doc_id !== null) outcome.id = r.doc_id;
    if (r.chunks !== null) outcome.chunks = r.chunks;
    if (r.reason !== null) outcome.reason = r.reason;
    return outcome;
  });
  return jobView(job.id, job.mode, documents, job.embedding_tokens, job.created_at, job.updated_at, job.started_at !== null, job.charged_tokens ?? job.embedding_tokens);
}

export function jobView(jobId: string, mode: IngestJob["mode"], documents: DocumentOutcome[], embeddingTokens: number, createdAt: number, updatedAt: number, started: boolean, chargedTokens = embeddingTokens): IngestJob {
  const counts = { total: documents.length, pending: 0, indexed: 0, unchanged: 0, rejected: 0, failed: 0 };
  for (const d of documents) counts[d.status]++;
  return {
    jobId,
    status: jobStatus(counts, started),
    mode,
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
    counts,
    documents,
    usage: { embeddingTokens, chargedTokens },
  };
}

export function jobStatus(counts: Record<DocumentStatus, number>, started: boolean): JobStatus {
  if (counts.pending > 0) return started || counts.indexed + counts.unchanged + counts.failed > 0 ? "processing" : "queued";
  if (counts.indexed + counts.unchanged === 0) return "failed";
  return counts.failed + counts.rejected > 0 ? "completed_with_errors" : "completed";
}
