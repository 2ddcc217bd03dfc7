// Route guards: authenticate the caller, then check the key's scope and the tenant's feature flag for the route.
import { AppError, type Scope, type ServiceName } from "@platform/shared";
import { authenticate, requireScope } from "./auth.ts";
import { admit, endUser } from "./limits/admit.ts";
import type { GatewayRequest } from "./request.ts";

// Routes that spend tokens admit once their body gives the estimate (withTokenBudget), still before any service call.
const ADMIT_WITH_ESTIMATE = new Set(
  ["/v1/chat", "/chat", "/v1/chat/completions", "/v1/embeddings", "/v1/search", "/search", "/v1/retrieve", "/v1/ingest", "/ingest", "/v1/tools/execute", "/tools/execute"],
);

/** Authenticates, then admits the request (rate limits, and budgets for routes that spend tokens) in one DO call. */
export async function withCaller(request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext): Promise<void> {
  request.caller = await authenticate(request, env, ctx);
  request.userId = endUser(request.headers.get("x-user-id") ?? undefined, "x-user-id");
  if (request.method === "POST" && ADMIT_WITH_ESTIMATE.has(new URL(request.url).pathname)) return;
  await admit(request, env, 0);
}

export function needs(scope: Scope & ServiceName) {
  return (request: GatewayRequest): void => {
    const caller = request.caller;
    if (!caller) throw new AppError("unauthorized", "missing API key");
    // The tenant's feature flags come before the key's scopes: a disabled feature is off for every key.
    if (!caller.tenant.features[scope]) {
      if (scope === "tts") throw new AppError("not_enabled", "text-to-speech is not enabled for this tenant: set features.tts to true in its tenant.json");
      throw new AppError("feature_disabled", `the ${scope} feature is disabled for this tenant`);
    }
    requireScope(caller, scope);
  };
}

export function caller(request: GatewayRequest) {
  if (!request.caller) throw new AppError("unauthorized", "missing API key");
  return request.caller;
}
