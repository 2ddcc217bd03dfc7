// The tenant's own configuration values in TENANT_KV, under `${tenantId}:config:<name>`: names are checked against a
// strict charset and always prefixed with the caller's tenant id, so no name reaches another tenant's keys.
import { AppError } from "@platform/shared";
import type { ConfigReader } from "./tool.ts";

/** Letters, digits, `.`, `_` and `-`, starting with a letter or digit: no `:` or `/`, so a name is never a key path. */
export const CONFIG_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface KvReader {
  get(key: string): Promise<string | null>;
}

export function configKey(tenantId: string, name: string): string {
  if (!CONFIG_NAME_PATTERN.test(name)) throw new AppError("invalid_request", "a configuration name is 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
  return `${tenantId}:config:${name}`;
}

export function tenantConfigReader(kv: KvReader, tenantId: string): ConfigReader {
  return { get: (name) => kv.get(configKey(tenantId, name)) };
}
