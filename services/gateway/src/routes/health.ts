// GET /health: the gateway alone without a key; with a key, the tenant and each service's health over RPC.
import { SERVICES, okResponse, AppError, type ServiceName } from "@platform/shared";
import { authenticate, requestContext } from "../auth.ts";
import { serviceStub } from "../services.ts";
import type { GatewayRequest } from "../request.ts";

const HEALTH_TIMEOUT_MS = 3000;

export async function health(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const hasKey = request.headers.has("authorization") || request.headers.has("x-api-key");
  if (!hasKey) return okResponse({ status: "ok", service: "gateway" }, request.traceId);

  const caller = (request.caller = await authenticate(request, env.ENVIRONMENT));
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

async function probe(env: GatewayEnv, name: ServiceName, ctx: ReturnType<typeof requestContext>) {
  const started = Date.now();
  try {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out")), HEALTH_TIMEOUT_MS));
    const result = await Promise.race([serviceStub(env, name).health(ctx), timeout]);
    return { ok: result.ok, version: result.version, latencyMs: Date.now() - started };
  } catch (error) {
    return { ok: false, error: AppError.from(error).body.code, latencyMs: Date.now() - started };
  }
}
