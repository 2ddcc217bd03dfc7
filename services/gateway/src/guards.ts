// Route guards: authenticate the caller, then check the key's scope and the tenant's feature flag for the route.
import { AppError, type Scope, type ServiceName } from "@platform/shared";
import { authenticate, requireScope } from "./auth.ts";
import { addUsage } from "./limits/budget.ts";
import { checkRateLimit, rateLimited } from "./limits/rate-limit.ts";
import type { GatewayRequest } from "./request.ts";

/** Authenticates, then admits the request against the caller's rate limit before any service is called. */
export async function withCaller(request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext): Promise<void> {
  const caller = (request.caller = await authenticate(request, env, ctx));
  request.rateLimit = await checkRateLimit(env, caller);
  if (!request.rateLimit.allowed) throw rateLimited(request.rateLimit);
  ctx.waitUntil(addUsage(env, caller.tenant.id, "requests", 1));
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
