// API keys: `sk-live-…` generation, HMAC-SHA-256 digests with the KEY_PEPPER secret (the store alone cannot confirm
// a guessed key), SHA-256 digests for development fixture keys, and constant-time comparison of digests.
import { AppError, sha256Hex as sharedSha256Hex, toHex } from "@platform/shared";

// Development builds without KEY_PEPPER use this; staging and production refuse to authenticate without the secret.
const DEV_PEPPER = "dev-pepper-not-a-secret";
const encoder = new TextEncoder();
const peppers = new Map<string, Promise<CryptoKey>>();

export function sha256Hex(value: string): Promise<string> {
  return sharedSha256Hex(value);
}

/** The pepper for this environment; throws 503 `service_unavailable` (and logs for the operator) when a deploy lacks it. */
export function pepper(env: Pick<GatewayEnv, "ENVIRONMENT"> & { KEY_PEPPER?: string }): string {
  if (env.KEY_PEPPER) return env.KEY_PEPPER;
  if (env.ENVIRONMENT === "development") return DEV_PEPPER;
  console.error(JSON.stringify({ kind: "operator", level: "error", message: `KEY_PEPPER secret is not set in ${env.ENVIRONMENT}: refusing to authenticate. Run: wrangler secret put KEY_PEPPER --env ${env.ENVIRONMENT}` }));
  throw new AppError("service_unavailable", "authentication is not configured on this platform; the operator has been told");
}

export async function hmacHex(secret: string, value: string): Promise<string> {
  let key = peppers.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    peppers.set(secret, key);
  }
  return toHex(await crypto.subtle.sign("HMAC", await key, encoder.encode(value)));
}

/** Constant-time equality of two digests (hex strings of the same length). */
export function sameDigest(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  return x.byteLength === y.byteLength && crypto.subtle.timingSafeEqual(x, y);
}

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** A new key: 32 random bytes; the prefix (first 12 characters) is what lists show. */
export function newKey(): { key: string; prefix: string } {
  const key = `sk-live-${base64url(crypto.getRandomValues(new Uint8Array(32)))}`;
  return { key, prefix: key.slice(0, 12) };
}

export const newKeyId = () => `key_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;
