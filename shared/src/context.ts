// RequestContext: the first argument of every RPC method, built by the gateway once the tenant is known.
import type { Scope, TenantSettings } from "./tenant.ts";

export interface RequestContext {
  tenantId: string;
  keyId: string;
  scopes: Scope[];
  traceId: string;
  /** The public route that caused this call, for logs and AI Gateway metadata. */
  route: string;
  tenant: TenantSettings;
}

export function hasScope(ctx: Pick<RequestContext, "scopes">, scope: Scope): boolean {
  return ctx.scopes.includes("*") || ctx.scopes.includes(scope);
}

/**
 * Passed by the gateway with a call it starts while the request's admission is still being decided: the service
 * awaits it before its first storage access or AI call; true once admitted, false when refused (the service then
 * stops, having done neither, and the gateway answers with the refusal).
 */
export type AdmissionGate = () => Promise<boolean>;
