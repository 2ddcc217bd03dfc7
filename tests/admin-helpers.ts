// Helpers for the admin API tests: the dev operator key, a client IP of each test file's own (failed
// authentications are counted per IP), tenant configs made from tenants/acme, and polling to a deadline.
import { readFileSync } from "node:fs";
import { join } from "node:path";
// @ts-expect-error plain ESM script without types
import { ROOT } from "../scripts/mesh.mjs";

export const OPERATOR_KEY = process.env.TEST_OPERATOR_KEY ?? "sk-dev-operator";

/** A random 10.x.y.z, so this file's failed attempts never count against another file's. */
export const ownIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join(".")}`;

/** acme's tenant.json under a new id (no hosts, so nothing clashes). */
export function tenantConfig(id: string, patch: Record<string, unknown> = {}): Record<string, unknown> {
  const acme = JSON.parse(readFileSync(join(ROOT, "tenants", "acme", "tenant.json"), "utf8")) as Record<string, unknown>;
  return { ...acme, id, name: `Test tenant ${id}`, hosts: [], ...patch };
}

// oxlint-disable-next-line typescript/no-explicit-any -- admin answers vary by route; each test reads the fields it asserts
export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: { ok: boolean; data: T; error?: { code: string; message: string; details?: unknown }; traceId: string };
}

export function client(baseUrl: () => string, ip: string) {
  // oxlint-disable-next-line typescript/no-explicit-any -- as Answer
  return async function api<T = any>(method: string, path: string, key: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const h = new Headers({ "cf-connecting-ip": ip, ...headers });
    if (key) h.set("authorization", `Bearer ${key}`);
    if (body !== undefined) h.set("content-type", "application/json");
    const response = await fetch(`${baseUrl()}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
}

/** Calls `probe` until `done` holds or `ms` pass; returns the last result (the caller asserts on it). */
export async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await probe();
  while (!done(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  return last;
}
