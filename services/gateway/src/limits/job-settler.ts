// Settling queued ingest charges that no read settled: TenantUsage's alarm asks the ingest service for each open job
// whose check is due, settles the ones that ended, and checks the others again later (each wait as long as the job's
// age, from the first delay, a minute, to an hour). So a tenant is charged what a job embedded even if no client ever reads the job.
import { AppError, rpcClient, tenantSettings, type RequestContext } from "@platform/shared";
import { tenantById } from "../registry/resolve.ts";
import { dueJobChecks, postponeJobCheck, type DueCheck, type OpenCharge } from "./job-charges.ts";

const FIRST_CHECK_MS = 60_000;
const MAX_CHECK_INTERVAL_MS = 60 * 60_000;
/** Checks per alarm: each is one RPC; the next alarm takes the rest. */
const CHECKS_PER_ALARM = 25;

/** The delay before a queued job's first check; in development JOB_CHECK_MS may shorten it (tests). */
export function jobCheckDelayMs(env: GatewayEnv): number {
  const override = Number((env as { JOB_CHECK_MS?: unknown }).JOB_CHECK_MS);
  return env.ENVIRONMENT === "development" && override > 0 ? override : FIRST_CHECK_MS;
}

/** Checks the due jobs; `settle` is TenantUsage.settleJob (exactly once per job, however many checks and reads race). */
export async function settleDueJobs(env: GatewayEnv, sql: SqlStorage, now: number, settle: (jobId: string, embedded: number) => number | null): Promise<void> {
  const ingest = rpcClient(env.INGEST, "ingest");
  const later = (charge: DueCheck) => now + Math.min(MAX_CHECK_INTERVAL_MS, Math.max(jobCheckDelayMs(env), now - charge.chargedAt));
  for (const charge of dueJobChecks(sql, now, CHECKS_PER_ALARM)) {
    try {
      const ctx = await systemContext(env, charge);
      if (!ctx) {
        postponeJobCheck(sql, charge.jobId, null);
        continue;
      }
      const job = await ingest.job(ctx, charge.jobId);
      if (job.counts.pending > 0) {
        postponeJobCheck(sql, charge.jobId, later(charge));
        continue;
      }
      const charged = settle(charge.jobId, job.usage.embeddingTokens);
      if (charged !== null) await ingest.recordCharge(ctx, charge.jobId, charged);
    } catch (error) {
      const gone = error instanceof AppError && error.body.code === "not_found";
      postponeJobCheck(sql, charge.jobId, gone ? null : later(charge));
      if (!gone) console.error(JSON.stringify({ service: "gateway", event: "ingest_settle_failed", tenantId: charge.tenantId, error: String(error).slice(0, 200) }));
    }
  }
}

/** The context of the alarm's own ingest calls: the tenant's current settings; null when the tenant is gone. */
async function systemContext(env: GatewayEnv, charge: OpenCharge): Promise<RequestContext | null> {
  const deployed = await tenantById(env, charge.tenantId);
  if (!deployed) return null;
  return { tenantId: charge.tenantId, keyId: "system", scopes: [], traceId: crypto.randomUUID(), route: "alarm: ingest charge", tenant: tenantSettings(deployed.config) };
}
