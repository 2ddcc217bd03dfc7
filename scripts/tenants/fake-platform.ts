// A fake admin API for the CLI's unit tests: node:http on 127.0.0.1 (port 0), the contract of
// /work/wt/briefs/admin-contract.md in memory (tenants with versions, keys, operator keys), in the envelope.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const OPERATOR_KEY = "sk-test-operator";
export const TENANT_ADMIN_KEY = "sk-test-tenant-admin";
export const BOOTSTRAP_TOKEN = "bootstrap-test-token";

interface Version { version: number; createdAt: string; config: Record<string, unknown> }
interface Tenant { versions: Version[]; current: number; disabled: boolean }
interface Key { id: string; name: string; prefix: string; scopes: string[]; createdAt: string; expiresAt: string | null; revokedAt: string | null; lastUsedAt: null }

/** The request bodies the contract defines, loosely: the fake reads only these fields. */
interface Body {
  id?: string;
  name?: string;
  scopes?: string[];
  expiresAt?: string;
  to?: number;
  overlapSeconds?: number;
  [field: string]: unknown;
}

export interface FakePlatform {
  url: string;
  tenants: Map<string, Tenant>;
  keys: Map<string, Key[]>;
  requests: { method: string; path: string; body: unknown }[];
  /** Tenant ids whose PUT the fake answers with a 400, to see `deploy --all` go on. */
  rejectPut: Set<string>;
  close(): Promise<void>;
}

const now = () => new Date().toISOString();

export async function startFakePlatform(): Promise<FakePlatform> {
  const tenants = new Map<string, Tenant>();
  const keys = new Map<string, Key[]>();
  const requests: FakePlatform["requests"] = [];
  const rejectPut = new Set<string>();
  let serial = 0;

  function route(method: string, path: string, body: Body): [number, unknown] | [number, string, string] {
    const parts = path.split("/").slice(3).map(decodeURIComponent); // after /v1/admin
    const [root, id, sub, keyId, action] = parts;
    if (root === "operator-keys" && method === "POST") return [201, { id: `op-${++serial}`, key: `sk-live-op${serial}`, name: body.name }];
    if (root !== "tenants") return [404, "not_found", "no such route"];
    if (!id && method === "GET") {
      return [200, { tenants: [...tenants].map(([tid, t]) => ({ id: tid, name: t.versions.at(-1)!.config.name, version: t.current, disabled: t.disabled, updatedAt: "2026-11-30T10:00:00.000Z" })) }];
    }
    const tenant = tenants.get(id!);
    if (method === "PUT" && !sub) {
      if (body.id !== id) return [400, "invalid_request", "id must equal the path"];
      if (rejectPut.has(id!)) return [400, "invalid_request", "the platform refused this config"];
      const t: Tenant = tenant ?? { versions: [], current: 0, disabled: false };
      const current = t.versions.find((v) => v.version === t.current);
      if (current && JSON.stringify(current.config) === JSON.stringify(body)) return [200, { id, version: t.current, unchanged: true }];
      t.versions.push({ version: t.versions.length + 1, createdAt: now(), config: body as Record<string, unknown> });
      t.current = t.versions.length;
      tenants.set(id!, t);
      return [200, { id, version: t.current, unchanged: false }];
    }
    if (!tenant) return [404, "unknown_tenant", `no tenant "${id}"`];
    const current = tenant.versions.find((v) => v.version === tenant.current)!;
    if (method === "GET" && !sub) return [200, { id, version: tenant.current, disabled: tenant.disabled, updatedAt: current.createdAt, config: current.config }];
    if (method === "GET" && sub === "versions") return [200, { versions: [...tenant.versions].reverse().map((v) => ({ version: v.version, createdAt: v.createdAt, createdBy: "op", current: v.version === tenant.current })) }];
    if (method === "POST" && sub === "rollback") {
      const to = body.to ?? tenant.current - 1;
      const old = tenant.versions.find((v) => v.version === to);
      if (!old || to === tenant.current) return [400, "invalid_request", `no version ${to} to roll back to`];
      tenant.versions.push({ version: tenant.versions.length + 1, createdAt: now(), config: old.config });
      tenant.current = tenant.versions.length;
      return [200, { id, version: tenant.current }];
    }
    if (method === "POST" && (sub === "disable" || sub === "enable")) {
      tenant.disabled = sub === "disable";
      return [200, { id, disabled: tenant.disabled }];
    }
    if (sub !== "keys") return [404, "not_found", "no such route"];
    const list = keys.get(id!) ?? [];
    keys.set(id!, list);
    if (method === "GET" && !keyId) return [200, { keys: list }];
    if (method === "POST" && !keyId) {
      const key: Key = { id: `key-${++serial}`, name: body.name!, prefix: `sk-live-k${serial}`, scopes: body.scopes!, createdAt: now(), expiresAt: body.expiresAt ?? null, revokedAt: null, lastUsedAt: null };
      list.push(key);
      return [201, { key: `sk-live-k${serial}-secret`, ...key, limits: body.limits, budgets: body.budgets }];
    }
    const key = list.find((k) => k.id === keyId);
    if (!key) return [404, "not_found", `no key "${keyId}"`];
    if (method === "DELETE") {
      key.revokedAt = now();
      return [200, { id: key.id, revokedAt: key.revokedAt }];
    }
    if (method === "POST" && action === "rotate") {
      const fresh: Key = { ...key, id: `key-${++serial}`, prefix: `sk-live-k${serial}`, createdAt: now() };
      list.push(fresh);
      const expiresAt = new Date(Date.now() + (body.overlapSeconds ?? 3600) * 1000).toISOString();
      return [201, { key: `sk-live-k${serial}-secret`, ...fresh, previous: { id: key.id, expiresAt } }];
    }
    return [404, "not_found", "no such route"];
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const body = (raw ? JSON.parse(raw) : {}) as Body;
    const path = new URL(req.url!, "http://x").pathname;
    requests.push({ method: req.method!, path, body });
    const auth = req.headers.authorization;
    const [status, data, message] =
      path === "/v1/admin/bootstrap" && auth === `Bearer ${BOOTSTRAP_TOKEN}` ? route("POST", "/v1/admin/operator-keys", body)
      : auth === `Bearer ${TENANT_ADMIN_KEY}` ? [403, "forbidden", "operator routes need the platform scope"]
      : auth !== `Bearer ${OPERATOR_KEY}` ? [401, "unauthorized", "invalid API key"]
      : route(req.method!, path, body);
    const envelope = message === undefined ? { ok: true, data, traceId: "trace-test" } : { ok: false, error: { code: data, message }, traceId: "trace-test" };
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(envelope));
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tenants,
    keys,
    requests,
    rejectPut,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
