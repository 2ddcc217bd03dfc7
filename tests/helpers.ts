// Helpers for integration tests: the gateway URL, each file's tenant and keys, polling to a deadline, the
// twin-only marker, and a fetch that returns the parsed envelope.
import { describe, inject, it, vi } from "vitest";

/** Against a deployed gateway (GATEWAY_URL set) instead of the local mesh the suite boots. */
export const isRemote = Boolean(process.env.GATEWAY_URL);

/**
 * The key named `name`: locally the dev key `sk-dev-<name>` from tenants/ or tests/tenants/; against staging,
 * where dev keys are refused, the key in STAGING_KEY_<NAME> (upper case, dashes as underscores; docs/testing.md).
 */
export function keyFor(name: string): string {
  if (!isRemote) return `sk-dev-${name}`;
  const variable = `STAGING_KEY_${name.toUpperCase().replaceAll("-", "_")}`;
  // Unset, the gateway answers 401 naming no variable; `npm run test:staging` lists the unset ones up front.
  return process.env[variable] ?? `unset-${variable}`;
}

export interface TestTenant {
  id: string;
  key: string;
  /** The id its key has in dev-keys.json, as the audit log records it. */
  keyId: string;
}

/**
 * A tenant only one test file uses (tests/tenants/<id>/tenant.json, development only), so that file's counters,
 * rate-limit window, documents and cache are its own and every assertion on them can be exact.
 */
export const testTenant = (id: `test-${string}`): TestTenant => ({ id, key: keyFor(id), keyId: `dev-${id}` });

// The dev tenants, for tests about their documented configuration (acme's limits and tts off, tiny's budget).
export const DEMO_KEY = keyFor("demo");
export const ACME_KEY = keyFor("acme");
export const ACME_SEARCH_ONLY_KEY = keyFor("acme-search");
export const TINY_KEY = keyFor("tiny");

/**
 * Marks tests whose assertions hold only for the local twins (the AI twin's canned answers, the lexical embedding's
 * ranking, the local TTS provider's timing): skipped when the suite runs against staging.
 */
// oxlint-disable-next-line vitest/no-disabled-tests, vitest/valid-title, vitest/expect-expect, vitest/valid-describe-callback -- skipIf builders, not tests
export const twinOnly = { it: it.skipIf(isRemote), describe: describe.skipIf(isRemote) };

/** Calls `check` until it returns without throwing (its `expect`s pass) or `timeoutMs` runs out, then rethrows. */
export function eventually<T>(check: () => T | Promise<T>, { timeoutMs = 10_000, intervalMs = 50 } = {}): Promise<T> {
  return vi.waitFor(check, { timeout: timeoutMs, interval: intervalMs });
}

export const gatewayUrl = () => inject("gatewayUrl");

export interface EnvelopeResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: { ok: boolean; data?: T; error?: { code: string; message: string; details?: unknown }; traceId: string };
}

export async function call<T = unknown>(path: string, init: RequestInit & { key?: string } = {}): Promise<EnvelopeResponse<T>> {
  const { key, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (key) headers.set("authorization", `Bearer ${key}`);
  const response = await fetch(`${gatewayUrl()}${path}`, { ...rest, headers });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

export const postJson = (path: string, body: unknown, key?: string, headers: Record<string, string> = {}) =>
  call(path, { method: "POST", key, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

export interface UsagePeriod {
  requests: number;
  tokens: number;
  tokensReserved: number;
  ttsCharacters: number;
  tokenBudget: number | null;
  tokensLeft: number | null;
}

/** Today's usage of the key's tenant once no reservation is open, i.e. every earlier call has settled its tokens. */
export const settledUsage = (key: string): Promise<UsagePeriod> =>
  eventually(async () => {
    const res = await call<{ day: UsagePeriod }>("/v1/usage", { key });
    if (res.status !== 200 || res.body.data!.day.tokensReserved !== 0) throw new Error(`usage not settled: ${JSON.stringify(res.body)}`);
    return res.body.data!.day;
  });

export const uniqueId = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
/** `n` random lowercase letters: part of a made-up word no other run's documents hold. */
export const letters = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => String.fromCharCode(97 + (b % 26))).join("");
