// Helpers for integration tests: the gateway URL, dev keys and a fetch that returns the parsed envelope.
import { inject } from "vitest";

// Against a deployed gateway (GATEWAY_URL set) the dev keys are refused: pass real keys of tenants configured
// like the dev ones (see README, "Staging").
const env = process.env;
export const isRemote = Boolean(env.GATEWAY_URL);
export const DEMO_KEY = env.TEST_DEMO_KEY ?? "sk-dev-demo";
export const ACME_KEY = env.TEST_ACME_KEY ?? "sk-dev-acme";
export const ACME_SEARCH_ONLY_KEY = env.TEST_ACME_SEARCH_KEY ?? "sk-dev-acme-search";
export const TINY_KEY = env.TEST_TINY_KEY ?? "sk-dev-tiny";

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

export const uniqueId = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;
