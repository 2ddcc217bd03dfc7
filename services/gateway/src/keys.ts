// API key lookup: keys are stored only as SHA-256 hex digests and confirmed with a constant-time comparison.
import { sha256Hex as sharedSha256Hex, type TenantConfig } from "@platform/shared";

export interface KeyRecord {
  tenant: TenantConfig;
  id: string;
  sha256: string;
  scopes: TenantConfig["keys"][number]["scopes"];
  devOnly: boolean;
}

const encoder = new TextEncoder();

export function sha256Hex(value: string): Promise<string> {
  return sharedSha256Hex(value);
}

export function indexKeys(tenants: readonly TenantConfig[]): Map<string, KeyRecord> {
  const index = new Map<string, KeyRecord>();
  for (const tenant of tenants) {
    for (const key of tenant.keys) index.set(key.sha256, { tenant, id: key.id, sha256: key.sha256, scopes: key.scopes, devOnly: key.devOnly });
  }
  return index;
}

/** Finds the key whose digest matches `presented`, comparing digests in constant time. */
export async function findKey(index: Map<string, KeyRecord>, presented: string): Promise<KeyRecord | undefined> {
  const digest = await sha256Hex(presented);
  const candidate = index.get(digest);
  if (!candidate) return undefined;
  const a = encoder.encode(digest);
  const b = encoder.encode(candidate.sha256);
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b) ? candidate : undefined;
}
