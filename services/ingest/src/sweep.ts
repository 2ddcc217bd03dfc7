// Recovery of queued ingest work a crash left behind. A consumer claims the documents it runs (jobs.ts
// claimPayloads); a Worker that dies mid-slice leaves them pending and claimed, a lost queue message leaves them
// pending and unclaimed. Reading the job sweeps it: once nothing moved for the stale period, stale documents are
// queued again, or failed with a reason (and their possible vectors purged) after MAX_ATTEMPTS claims.
//
// Why on read rather than a cron trigger: the re-queued message must carry the tenant's request context (its
// models and chunking), which only a request has, and the job's reader is the one waiting for it to end.
import { inGroups, type RequestContext } from "@platform/shared";
import { MAX_PARAMS } from "./documents-db/write.ts";
import { notePendingFailure } from "./jobs.ts";
import { purgeVectors, vectorIdsOf, type SubmittedDocument } from "./pipeline.ts";
import { sendIngestSlices, type SubmitDeps } from "./submit.ts";

/** Claims a slice runs under; past it the claim counts as a dead consumer's. Longer than a consumer may run (15 min). */
export const DEFAULT_STALE_MS = 16 * 60 * 1000;
/** A document claimed this often without an outcome is failed (the queue's own retries: 1 + max_retries 3). */
export const MAX_ATTEMPTS = 4;

/** The stale period from the INGEST_STALE_MS var (short in development, so a crash recovers in seconds). */
export function staleMsFrom(value: string | undefined): number {
  const ms = Number(value);
  return Number.isInteger(ms) && ms > 0 ? ms : DEFAULT_STALE_MS;
}

interface StaleDoc {
  seq: number;
  attempts: number;
}

/** Re-drives or fails the job's stale pending documents; a no-op unless the job has been still for `staleMs`. */
export async function sweepJob(deps: SubmitDeps, ctx: RequestContext, jobId: string, staleMs: number, now = Date.now()): Promise<void> {
  const { db } = deps;
  const staleBefore = now - staleMs;
  // Compare-and-set on swept_at: one sweep per stale period, however many readers poll the job at once.
  const won = await db
    .prepare(
      `UPDATE ingest_jobs SET swept_at = ?1 WHERE tenant_id = ?2 AND id = ?3 AND MAX(updated_at, COALESCE(swept_at, 0)) < ?4
         AND EXISTS (SELECT 1 FROM ingest_job_docs WHERE tenant_id = ?2 AND job_id = ?3 AND status = 'pending') RETURNING id`,
    )
    .bind(now, ctx.tenantId, jobId, staleBefore)
    .first<{ id: string }>();
  if (!won) return;
  const { results } = await db
    .prepare(`SELECT seq, attempts FROM ingest_job_docs WHERE tenant_id = ? AND job_id = ? AND status = 'pending' AND (claimed_at IS NULL OR claimed_at < ?) ORDER BY seq`)
    .bind(ctx.tenantId, jobId, staleBefore)
    .all<StaleDoc>();
  const exhausted = results.filter((d) => d.attempts >= MAX_ATTEMPTS).map((d) => d.seq);
  const retry = results.filter((d) => d.attempts < MAX_ATTEMPTS).map((d) => d.seq);
  if (exhausted.length > 0) {
    await failDocuments(deps, ctx, jobId, exhausted, `stalled: ${MAX_ATTEMPTS} attempts did not finish (the worker stopped mid-way); submit the document again`, now);
  }
  if (retry.length > 0) await sendIngestSlices(deps.queue, ctx, jobId, retry);
  console.log(JSON.stringify({ service: "ingest", event: "ingest_sweep", traceId: ctx.traceId, tenantId: ctx.tenantId, jobId, requeued: retry.length, failed: exhausted.length }));
}

/** Fails a job's pending documents `seqs` with `reason`, first purging the vectors an unfinished run of them wrote. */
export async function failDocuments(deps: SubmitDeps, ctx: RequestContext, jobId: string, seqs: readonly number[], reason: string, now: number): Promise<void> {
  const ids: string[] = [];
  for (const group of inGroups(seqs, MAX_PARAMS - 2)) {
    const { results } = await deps.db
      .prepare(`SELECT seq, payload FROM ingest_job_docs WHERE tenant_id = ? AND job_id = ? AND status = 'pending' AND payload IS NOT NULL AND seq IN (${group.map(() => "?").join(",")})`)
      .bind(ctx.tenantId, jobId, ...group)
      .all<{ seq: number; payload: string }>();
    for (const row of results) ids.push(...(await vectorIdsOf(ctx, { ...(JSON.parse(row.payload) as SubmittedDocument), index: row.seq }).catch(() => [])));
  }
  // Chunk ids are derived from the content, so these are exactly the vectors a run of these documents wrote; ids a
  // committed row refers to (another job indexed the same version) are kept.
  await purgeVectors(deps, ctx.tenantId, ids);
  await notePendingFailure(deps.db, ctx.tenantId, jobId, seqs, reason, "failed", now);
}

