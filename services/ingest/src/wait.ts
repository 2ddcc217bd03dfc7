// Waiting for a job (the long-poll of GET /v1/ingest/:jobId?wait=N): the ingest service checks the job itself, at
// a growing interval, so a waiting client makes one request instead of polling through the gateway.
import type { RequestContext } from "@platform/shared";
import type { SubmitDeps } from "./submit.ts";
import { sweepJob } from "./sweep.ts";

/** The longest a job read may wait; the gateway caps `wait` at this too (docs/ingest.md). */
export const MAX_JOB_WAIT_MS = 20_000;
const FIRST_INTERVAL_MS = 50;
const MAX_INTERVAL_MS = 1000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once the job has no pending document (it ended, or the tenant has no such job) or `waitMs` passed. Each
 * check sweeps the job too (a no-op unless it stood still for the stale period), so a waiting reader still recovers
 * work a crash left behind, as a polling one does.
 */
export async function waitForJob(deps: SubmitDeps, ctx: RequestContext, jobId: string, waitMs: number, sweep: () => Promise<void> = () => sweepJob(deps, ctx, jobId, deps.staleMs)): Promise<void> {
  const deadline = Date.now() + Math.min(Math.max(0, waitMs), MAX_JOB_WAIT_MS);
  let interval = FIRST_INTERVAL_MS;
  for (;;) {
    await sweep();
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
