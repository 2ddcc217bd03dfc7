// The development fixtures compiled into this build: the dev tenants (tenants/ and tests/tenants/) and their dev
// keys in development, none in staging or production, where `define` sets __DEV_TENANTS__ to false and esbuild
// drops the fixtures module. Deployed tenants and keys come from the registry (src/registry/).
import type { Scope, TenantConfig } from "@platform/shared";
import { DEV_KEYS, TENANTS as DEV_TENANTS } from "./tenants.generated.ts";

// Set per environment by `define` in wrangler.jsonc (the unit tests define it as true in vitest.config.ts).
declare const __DEV_TENANTS__: boolean;

/** The dev tenants this build knows: answered as if deployed while the registry has no row for them. */
export function buildTenants(): readonly TenantConfig[] {
  return __DEV_TENANTS__ ? DEV_TENANTS : [];
}

/** The dev keys (SHA-256 digests; `sk-dev-operator` among them), accepted only when ENVIRONMENT is development. */
export function buildDevKeys(): readonly { tenantId: string; id: string; sha256: string; scopes: Scope[] }[] {
  return __DEV_TENANTS__ ? DEV_KEYS : [];
}
