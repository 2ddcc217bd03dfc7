// The tenants compiled into this build: the dev fixtures (tenants/ and tests/tenants/) in development, none in
// staging or production, where `define` sets __DEV_TENANTS__ to false and esbuild drops the fixtures module.
import type { TenantConfig } from "@platform/shared";
import { TENANTS as DEV_TENANTS } from "./tenants.generated.ts";

// Set per environment by `define` in wrangler.jsonc (the unit tests define it as true in vitest.config.ts).
declare const __DEV_TENANTS__: boolean;

/** Every tenant this build knows; the only place the gateway reads tenant configuration from. */
export function buildTenants(): readonly TenantConfig[] {
  return __DEV_TENANTS__ ? DEV_TENANTS : [];
}
