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
