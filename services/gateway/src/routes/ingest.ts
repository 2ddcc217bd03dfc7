// Ingest routes: POST /v1/ingest (documents checked one by one; small batches indexed before the answer, large ones
// queued), GET /v1/ingest/:jobId (?wait=N long-polls until the job ends), GET /v1/documents and
// DELETE /v1/documents/:id, all forwarded to the ingest service.
// Tokens: a sync job is charged what it embedded; a queued one its estimate, settled to what it embedded once it ends.
import {
  AppError,
  DocumentIdSchema,
  DocumentsQuerySchema,
  estimateIngestTokens,
  INGEST_LIMITS,
  JOB_ID_PATTERN,
  notFound,
  okResponse,
  splitDocuments,
  type IngestJob,
  type RequestContext,
} from "@platform/shared";
import * as v from "valibot";
import { requestContext } from "../auth.ts";
import { parseInput } from "../body.ts";
import { caller } from "../guards.ts";
import { readIngestDocuments } from "../ingest-body.ts";
import { usageStub, withTokenBudget, type Spent } from "../limits/budget.ts";
import type { GatewayRequest } from "../request.ts";

export async function ingest(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const who = caller(request);
  const documents = await readIngestDocuments(request, who.tenant.limits.maxBodyBytes);
  if (documents.length > INGEST_LIMITS.maxDocuments) {
    throw new AppError("payload_too_large", `at most ${INGEST_LIMITS.maxDocuments} documents per request (got ${documents.length}); split the batch`);
  }
  const { accepted, rejected } = splitDocuments(documents);
  if (accepted.length === 0) {
    const code = rejected.every((r) => r.code === "payload_too_large") ? "payload_too_large" : "invalid_request";
    throw new AppError(code, `no document was accepted: ${rejected.map((r) => `documents[${r.index}]: ${r.reason}`).join("; ")}`, { details: { documents: rejected } });
  }
  const ctx = requestContext(who, request.traceId, "/v1/ingest");
  const estimate = estimateIngestTokens(accepted);
  // A queued job embeds later, out of the gateway's sight: it is charged the estimate, recorded to settle when it ends.
  const used = (job: IngestJob): Spent => (job.mode === "sync" ? job.usage.embeddingTokens : { tokens: estimate, jobId: job.jobId });
  const call = () => env.INGEST.ingest(ctx, { documents: accepted, rejected, charge: estimate });
  const { result: job, settled } = await withTokenBudget(request, env, estimate, call, used);
  await settled;
  const headers = { location: `/v1/ingest/${job.jobId}` };
  return okResponse(job, request.traceId, { status: job.mode === "queued" ? 202 : 200, headers });
}

/** What a read of a job still running suggests as the next read's delay, when it did not long-poll. */
const RETRY_AFTER_S = 1;

export async function ingestJob(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const jobId = param(request, "jobId");
  if (!JOB_ID_PATTERN.test(jobId)) throw notFound("ingest job");
  const waitS = waitSeconds(request.query.wait);
  const who = caller(request);
  const ctx = requestContext(who, request.traceId, "/v1/ingest/:jobId");
  const job = await settleCharge(env, ctx, who.tenant.id, await env.INGEST.job(ctx, jobId, waitS * 1000));
  const running = job.status === "queued" || job.status === "processing";
  return okResponse(job, request.traceId, running ? { headers: { "retry-after": String(RETRY_AFTER_S) } } : {});
}

/** `?wait=N`: whole seconds from 0 to INGEST_LIMITS.maxJobWaitSeconds to hold the read until the job ends; absent means 0. */
function waitSeconds(value: string | string[] | undefined): number {
  if (value === undefined) return 0;
  const text = Array.isArray(value) ? "" : value;
  if (!/^\d{1,3}$/.test(text) || Number(text) > INGEST_LIMITS.maxJobWaitSeconds) {
    throw new AppError("invalid_request", `wait must be a whole number of seconds from 0 to ${INGEST_LIMITS.maxJobWaitSeconds}`);
  }
  return Number(text);
}

/**
 * Settles an ended queued job's charge (its estimate) to the tokens it embedded, on the first read that finds it
 * ended: TenantUsage.settleJob corrects the tenant, key and end user it was charged to, once per job however many
 * reads race or retry; then the job row records it, so later reads skip this. Done here, not in the ingest service,
 * because usage lives in the gateway's Durable Object, which ingest has no binding to. If settling fails, the job
 * shows the estimate still charged and the next read tries again.
 */
async function settleCharge(env: GatewayEnv, ctx: RequestContext, tenantId: string, job: IngestJob): Promise<IngestJob> {
  const { embeddingTokens, chargedTokens } = job.usage;
  if (job.mode !== "queued" || job.counts.pending > 0 || chargedTokens === embeddingTokens) return job;
  try {
    const charged = await usageStub(env, tenantId).settleJob(job.jobId, embeddingTokens);
    if (charged === null) return job;
    await env.INGEST.recordCharge(ctx, job.jobId, charged);
    return { ...job, usage: { embeddingTokens, chargedTokens: charged } };
  } catch (error) {
    console.error(JSON.stringify({ service: "gateway", event: "ingest_settle_failed", traceId: ctx.traceId, error: String(error).slice(0, 200) }));
    return job;
  }
}

export async function listDocuments(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const query = parseInput(DocumentsQuerySchema, { ...request.query });
  const ctx = requestContext(caller(request), request.traceId, "/v1/documents");
  return okResponse(await env.INGEST.listDocuments(ctx, query), request.traceId);
}

export async function deleteDocument(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const id = param(request, "id");
  const checked = v.safeParse(DocumentIdSchema, id);
  if (!checked.success) throw new AppError("invalid_request", `invalid document id: ${checked.issues[0].message}`);
  const ctx = requestContext(caller(request), request.traceId, "/v1/documents/:id");
  return okResponse(await env.INGEST.deleteDocument(ctx, checked.output), request.traceId);
}

function param(request: GatewayRequest, name: string): string {
  const raw = String(request.params[name] ?? "");
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new AppError("invalid_request", `malformed ${name} in the path`);
  }
}
