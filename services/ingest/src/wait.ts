// Waiting for a job (the long-poll of GET /v1/ingest/:jobId?wait=N): the ingest service checks the job itself, at
// a growing interval, so a waiting client makes one request instead of polling through the gateway.
import { INGEST_LIMITS, type RequestContext } from "@platform/shared";
import type { SubmitDeps } from "./submit.ts";

const FIRST_INTERVAL_MS = 50;
const MAX_INTERVAL_MS = 1000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once the job has no pending document (it ended, or the tenant has no such job) or `waitMs` passed. The
 * caller sweeps the job once before waiting (the stale period is longer than a wait), so each check is one read.
 */
export async function waitForJob(deps: SubmitDeps, ctx: RequestContext, jobId: string, waitMs: number): Promise<void> {
  const deadline = Date.now() + Math.min(Math.max(0, waitMs), INGEST_LIMITS.maxJobWaitSeconds * 1000);
  let interval = FIRST_INTERVAL_MS;
  for (;;) {
    const row = await deps.db
      .prepare(`SELECT EXISTS (SELECT 1 FROM ingest_job_docs WHERE tenant_id = ? AND job_id = ? AND status = 'pending') AS pending`)
      .bind(ctx.tenantId, jobId)
      .first<{ pending: number }>();
    const left = deadline - Date.now();
    if (!row?.pending || left <= 0) return;
    await pause(Math.min(interval, left));
    interval = Math.min(MAX_INTERVAL_MS, interval * 1.5);
  }
}
