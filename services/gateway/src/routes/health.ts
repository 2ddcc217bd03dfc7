// GET /health: the gateway alone without a key; with a key, the tenant and each service's version and binding checks
// over RPC. Any service not ok (a failed check, no answer, unreachable) makes the whole answer 503 "degraded".
import { SERVICES, okResponse, AppError, type ServiceName, type ServiceHealth } from "@platform/shared";
import { authenticate, requestContext } from "../auth.ts";
import { serviceStub } from "../services.ts";
import type { GatewayRequest } from "../request.ts";

// A little over the services' own probe bound (PROBE_TIMEOUT_MS), so a slow probe reports itself.
const HEALTH_TIMEOUT_MS = 3000;

type Probed =
  | { ok: boolean; version: string; latencyMs: number; checks: Record<string, { ok: boolean; latencyMs: number }> }
  | { ok: false; error: "unreachable" | "timeout"; latencyMs: number };

export async function health(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const hasKey = request.headers.has("authorization") || request.headers.has("x-api-key");
  if (!hasKey) return okResponse({ status: "ok", service: "gateway" }, request.traceId);

  const caller = (request.caller = await authenticate(request, env));
  const only = request.query.service;
  if (only !== undefined && !SERVICES.includes(only as ServiceName)) {
    throw new AppError("invalid_request", `unknown service "${String(only)}"; one of ${SERVICES.join(", ")}`);
  }
  const names = only ? [only as ServiceName] : [...SERVICES];
  const ctx = requestContext(caller, request.traceId, "/health");
  const entries = await Promise.all(names.map(async (name) => [name, await probe(env, name, ctx)] as const));
  const services = Object.fromEntries(entries);
  const healthy = entries.every(([, result]) => result.ok);
  return okResponse(
    { status: healthy ? "ok" : "degraded", tenant: { id: caller.tenant.id, name: caller.tenant.name }, services },
    request.traceId,
    { status: healthy ? 200 : 503 },
  );
}

async function probe(env: GatewayEnv, name: ServiceName, ctx: ReturnType<typeof requestContext>): Promise<Probed> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), HEALTH_TIMEOUT_MS)));
  try {
    const result = await Promise.race([serviceStub(env, name).health(ctx), timeout]);
    const latencyMs = Date.now() - started;
    if (result === "timeout") return { ok: false, error: "timeout", latencyMs };
    return { ok: result.ok, version: result.version, latencyMs, checks: publicChecks(result) };
  } catch {
    // Not bound, not running, or failing before it could answer: the service logs its own errors.
    return { ok: false, error: "unreachable", latencyMs: Date.now() - started };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/** Each check's verdict and latency; why one failed stays in the service's log, not in a tenant's answer. */
function publicChecks(health: ServiceHealth): Record<string, { ok: boolean; latencyMs: number }> {
  return Object.fromEntries(Object.entries(health.checks ?? {}).map(([name, { ok, latencyMs }]) => [name, { ok, latencyMs }]));
}
