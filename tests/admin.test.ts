// Admin API on the shared mesh: tenants deployed and keys issued at runtime (no restart), revocation and rotation,
// cross-tenant 404s and 403s, disable/enable, versions and rollback with the limit in force following, the audit
// log, failed-authentication limiting, and no key material in the audit or the mesh log.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { ACME_KEY, DEMO_KEY, gatewayUrl, isRemote, uniqueId } from "./helpers.ts";
import { OPERATOR_KEY, client, ownIp, tenantConfig, until } from "./admin-helpers.ts";

const ip = ownIp();
const api = client(gatewayUrl, ip);
const issued: string[] = [];
// The pepper a development gateway uses without KEY_PEPPER (services/gateway/src/keys.ts).
const DEV_PEPPER = "dev-pepper-not-a-secret";

async function deploy(id: string, patch: Record<string, unknown> = {}) {
  const put = await api("PUT", `/v1/admin/tenants/${id}`, OPERATOR_KEY, tenantConfig(id, patch));
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  return put.body.data as { id: string; version: number; unchanged: boolean };
}

async function newKey(tenant: string, scopes: string[], extra: Record<string, unknown> = {}) {
  const created = await api("POST", `/v1/admin/tenants/${tenant}/keys`, OPERATOR_KEY, { name: `k-${scopes.join("-")}`, scopes, ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  issued.push(created.body.data.key);
  return created.body.data as { key: string; id: string; prefix: string; scopes: string[]; expiresAt: string | null };
}

const usage = (key: string) => api("GET", "/v1/usage", key);

describe("tenants and keys at runtime", () => {
  it("deploys a new tenant by PUT; a key created for it works at once; revoked, it gets 401 within 10 s", async () => {
    const id = uniqueId("t");
    expect(await deploy(id)).toEqual({ id, version: 1, unchanged: false });
    expect(await deploy(id)).toEqual({ id, version: 1, unchanged: true });
    const key = await newKey(id, ["chat", "search"]);
    expect(key.key).toMatch(/^sk-live-[A-Za-z0-9_-]{40,}$/);
    expect(key.prefix).toBe(key.key.slice(0, 12));

    const ok = await usage(key.key);
    expect(ok.status).toBe(200);
    expect(ok.body.data.tenantId).toBe(id);

    const listed = await api("GET", `/v1/admin/tenants/${id}/keys`, OPERATOR_KEY);
    expect(listed.status).toBe(200);
    expect(listed.body.data.keys).toHaveLength(1);
    expect(listed.body.data.keys[0]).toMatchObject({ id: key.id, name: "k-chat-search", prefix: key.prefix, scopes: ["chat", "search"], revokedAt: null, expiresAt: null });
    expect(JSON.stringify(listed.body)).not.toContain(key.key);
    expect(Object.keys(listed.body.data.keys[0])).not.toEqual(expect.arrayContaining(["key"]));
    expect(Object.keys(listed.body.data.keys[0]).some((k) => /hash/i.test(k))).toBe(false);

    const revoked = await api("DELETE", `/v1/admin/tenants/${id}/keys/${key.id}`, OPERATOR_KEY);
    expect(revoked.status).toBe(200);
    expect(revoked.body.data).toMatchObject({ id: key.id, revokedAt: expect.any(String) });
    const after = await until(() => usage(key.key), (r) => r.status === 401);
    expect(after.status).toBe(401);
    expect(after.body.error?.code).toBe("unauthorized");
  });

  it("rotates a key: the new one works, the old one until its overlap ends", async () => {
    const id = uniqueId("t");
    await deploy(id);
    const old = await newKey(id, ["chat"], { limits: { requestsPerMinute: 50, burst: 10 }, budgets: { tokensPerDay: 1000 } });
    const rotated = await api("POST", `/v1/admin/tenants/${id}/keys/${old.id}/rotate`, OPERATOR_KEY, { overlapSeconds: 600 });
    expect(rotated.status).toBe(201);
    const fresh = rotated.body.data;
    issued.push(fresh.key);
    expect(fresh.id).not.toBe(old.id);
    expect(fresh).toMatchObject({ scopes: ["chat"], limits: { requestsPerMinute: 50, burst: 10 }, budgets: { tokensPerDay: 1000 }, previous: { id: old.id } });
    const overlapEnds = Date.parse(fresh.previous.expiresAt) - Date.now();
    expect(overlapEnds).toBeGreaterThan(500_000);
    expect(overlapEnds).toBeLessThanOrEqual(600_000);
    expect((await usage(fresh.key)).status).toBe(200);
    expect((await usage(old.key)).status).toBe(200);

    // No overlap: the old key stops at once (within the staleness bound).
    const again = await api("POST", `/v1/admin/tenants/${id}/keys/${fresh.id}/rotate`, OPERATOR_KEY, { overlapSeconds: 0 });
    expect(again.status).toBe(201);
    issued.push(again.body.data.key);
    expect((await until(() => usage(fresh.key), (r) => r.status === 401)).status).toBe(401);
    expect((await usage(again.body.data.key)).status).toBe(200);
    const tooLong = await api("POST", `/v1/admin/tenants/${id}/keys/${again.body.data.id}/rotate`, OPERATOR_KEY, { overlapSeconds: 8 * 24 * 3600 });
    expect(tooLong.status).toBe(400);
  });

  it("answers bad admin input with 4xx in the envelope", async () => {
    const id = uniqueId("t");
    const withKeys = await api("PUT", `/v1/admin/tenants/${id}`, OPERATOR_KEY, { ...tenantConfig(id), keys: [] });
    expect(withKeys.status).toBe(400);
    expect(withKeys.body.error?.message).toMatch(/no key material/);
    expect((await api("PUT", `/v1/admin/tenants/${id}`, OPERATOR_KEY, tenantConfig("other-id"))).status).toBe(400);
    const invalid = await api("PUT", `/v1/admin/tenants/${id}`, OPERATOR_KEY, tenantConfig(id, { limits: { requestsPerMinute: -1 } }));
    expect(invalid.status).toBe(400);
    expect(invalid.body.error?.code).toBe("invalid_request");
    expect((await api("PUT", "/v1/admin/tenants/platform", OPERATOR_KEY, tenantConfig("platform"))).status).toBe(400);
    const unknown = await api("GET", `/v1/admin/tenants/${id}`, OPERATOR_KEY);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe("unknown_tenant");
    expect((await api("POST", `/v1/admin/tenants/${id}/keys`, OPERATOR_KEY, { name: "x", scopes: ["chat"] })).status).toBe(404);
    await deploy(id);
    for (const body of [{ name: "x", scopes: ["platform"] }, { name: "x", scopes: [] }, { name: "", scopes: ["chat"] }, { name: "x", scopes: ["chat"], expiresAt: "2001-01-01T00:00:00Z" }, { name: "x", scopes: ["chat"], extra: 1 }]) {
      const bad = await api("POST", `/v1/admin/tenants/${id}/keys`, OPERATOR_KEY, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
    }
    expect((await api("GET", `/v1/admin/tenants/${id}/versions/99`, OPERATOR_KEY)).status).toBe(404);
    expect((await api("GET", `/v1/admin/tenants/${id}/versions/x`, OPERATOR_KEY)).status).toBe(400);
    expect((await api("POST", "/v1/admin/bootstrap", undefined, { name: "first" }, { authorization: "Bearer nope" })).status).toBe(403);
  });
});

describe("who may do what", () => {
  it("keeps a tenant admin to its own tenant's keys (another's key id: 404) and off operator routes (403)", async () => {
    const a = uniqueId("ta");
    const b = uniqueId("tb");
    await deploy(a);
    await deploy(b);
    const adminA = await newKey(a, ["admin"]);
    const keyB = await newKey(b, ["chat"]);
    const plainA = await newKey(a, ["chat", "search"]);

    const mine = await api("POST", "/v1/admin/keys", adminA.key, { name: "by-admin", scopes: ["search"], expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(mine.status).toBe(201);
    issued.push(mine.body.data.key);
    expect((await usage(mine.body.data.key)).body.data.tenantId).toBe(a);
    const listed = await api("GET", "/v1/admin/keys", adminA.key);
    expect(listed.status).toBe(200);
    const byId = (a: string, b: string) => a.localeCompare(b);
    expect(listed.body.data.keys.map((k: { id: string }) => k.id).sort(byId)).toEqual([adminA.id, plainA.id, mine.body.data.id].sort(byId));

    for (const [method, path] of [["DELETE", `/v1/admin/keys/${keyB.id}`], ["POST", `/v1/admin/keys/${keyB.id}/rotate`]] as const) {
      const other = await api(method, path, adminA.key);
      expect(other.status, `${method} ${path}`).toBe(404);
      expect(other.body.error?.code).toBe("not_found");
    }
    expect((await usage(keyB.key)).status).toBe(200);

    for (const [method, path] of [["GET", "/v1/admin/tenants"], ["GET", `/v1/admin/tenants/${b}`], ["PUT", `/v1/admin/tenants/${a}`], ["GET", `/v1/admin/tenants/${b}/keys`], ["POST", `/v1/admin/tenants/${a}/disable`], ["POST", "/v1/admin/operator-keys"]] as const) {
      const denied = await api(method, path, adminA.key, method === "GET" ? undefined : {});
      expect(denied.status, `${method} ${path}`).toBe(403);
      expect(denied.body.error?.code).toBe("forbidden");
    }
    // Keys without `admin`: 403 on /v1/admin/keys.
    for (const key of [plainA.key, ACME_KEY]) expect((await api("GET", "/v1/admin/keys", key)).status).toBe(403);
    expect((await api("POST", "/v1/admin/keys", plainA.key, { name: "x", scopes: ["chat"] })).status).toBe(403);
  });

  it("lets an operator create operator keys, which work at once and stop when revoked", async () => {
    const created = await api("POST", "/v1/admin/operator-keys", OPERATOR_KEY, { name: "ci" });
    expect(created.status).toBe(201);
    issued.push(created.body.data.key);
    expect(created.body.data.scopes).toEqual(["platform"]);
    expect((await api("GET", "/v1/admin/tenants", created.body.data.key)).status).toBe(200);
    // An operator key is no tenant's key: data routes are closed to it.
    expect((await api("POST", "/v1/search", created.body.data.key, { query: "x" })).status).toBe(403);
    expect((await api("DELETE", `/v1/admin/operator-keys/${created.body.data.id}`, OPERATOR_KEY)).status).toBe(200);
    expect((await until(() => api("GET", "/v1/admin/tenants", created.body.data.key), (r) => r.status === 401)).status).toBe(401);
  });
});

describe("disable, versions and rollback", () => {
  it("answers 403 tenant_disabled on every route of a disabled tenant, and serves it again once enabled", async () => {
    const id = uniqueId("t");
    await deploy(id);
    const key = await newKey(id, ["*"]);
    const routes: [string, string, unknown?][] = [
      ["GET", "/v1/usage"], ["GET", "/health"], ["POST", "/v1/chat", { message: "hi" }], ["POST", "/v1/search", { query: "x" }],
      ["POST", "/v1/ingest", { documents: [] }], ["GET", "/v1/tools"], ["GET", "/v1/admin/keys"], ["GET", "/v1/models"], ["GET", "/v1/audit"],
    ];
    const disabled = await api("POST", `/v1/admin/tenants/${id}/disable`, OPERATOR_KEY);
    expect(disabled.body.data).toEqual({ id, disabled: true });
    await until(() => usage(key.key), (r) => r.status === 403);
    for (const [method, path, body] of routes) {
      const answer = await api(method, path, key.key, body);
      expect(answer.status, `${method} ${path}`).toBe(403);
      const code = answer.body.error?.code ?? (answer.body as unknown as { error: { code: string } }).error.code;
      expect(code, `${method} ${path}`).toBe("tenant_disabled");
    }
    expect((await api("GET", "/v1/admin/tenants", OPERATOR_KEY)).body.data.tenants.find((t: { id: string }) => t.id === id)).toMatchObject({ disabled: true, version: 1 });
    expect((await api("POST", `/v1/admin/tenants/${id}/enable`, OPERATOR_KEY)).body.data).toEqual({ id, disabled: false });
    expect((await until(() => usage(key.key), (r) => r.status === 200)).status).toBe(200);
  });

  it("keeps every version; rollback writes a new version with the old config, and the limit in force follows", async () => {
    const id = uniqueId("t");
    const limit = async (key: string) => (await until(() => usage(key), (r) => r.status === 200)).headers.get("ratelimit-limit");
    await deploy(id, { limits: { requestsPerMinute: 100, burst: 50 } });
    const key = await newKey(id, ["chat"]);
    expect(await limit(key.key)).toBe("100");
    expect(await deploy(id, { limits: { requestsPerMinute: 200, burst: 50 } })).toMatchObject({ version: 2, unchanged: false });
    expect(await until(() => limit(key.key), (v) => v === "200")).toBe("200");

    const versions = await api("GET", `/v1/admin/tenants/${id}/versions`, OPERATOR_KEY);
    expect(versions.body.data.versions.map((v: { version: number; current: boolean; createdBy: string }) => [v.version, v.current, v.createdBy])).toEqual([[2, true, "dev-operator"], [1, false, "dev-operator"]]);
    const first = await api("GET", `/v1/admin/tenants/${id}/versions/1`, OPERATOR_KEY);
    expect(first.body.data.config.limits.requestsPerMinute).toBe(100);

    const rolled = await api("POST", `/v1/admin/tenants/${id}/rollback`, OPERATOR_KEY);
    expect(rolled.status).toBe(200);
    expect(rolled.body.data).toEqual({ id, version: 3, rolledBackFrom: 1 });
    expect(await until(() => limit(key.key), (v) => v === "100")).toBe("100");
    const current = await api("GET", `/v1/admin/tenants/${id}`, OPERATOR_KEY);
    expect(current.body.data).toMatchObject({ id, version: 3, disabled: false, config: { limits: { requestsPerMinute: 100 } } });
    const after = await api("GET", `/v1/admin/tenants/${id}/versions`, OPERATOR_KEY);
    expect(after.body.data.versions[0]).toMatchObject({ version: 3, current: true, rolledBackFrom: 1 });
    const explicit = await api("POST", `/v1/admin/tenants/${id}/rollback`, OPERATOR_KEY, { to: 2 });
    expect(explicit.body.data).toEqual({ id, version: 4, rolledBackFrom: 2 });
    expect(await until(() => limit(key.key), (v) => v === "200")).toBe("200");
    expect((await api("POST", `/v1/admin/tenants/${id}/rollback`, OPERATOR_KEY, { to: 4 })).status).toBe(400);
  });
});

describe("per-key limits and budgets", () => {
  it("holds a key to its own burst on top of the tenant's, and leaves the tenant's other keys alone", async () => {
    const id = uniqueId("t");
    await deploy(id);
    const tight = await newKey(id, ["*"], { limits: { requestsPerMinute: 60, burst: 3 } });
    const other = await newKey(id, ["*"]);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await usage(tight.key));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
    expect(answers[3]!.body.error).toMatchObject({ code: "rate_limited", details: { level: "key" } });
    expect(Number(answers[3]!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await usage(other.key)).status).toBe(200);
  });

  it("refuses a chat over the key's own daily token budget, naming the key", async () => {
    const id = uniqueId("t");
    await deploy(id);
    const key = await newKey(id, ["chat"], { budgets: { tokensPerDay: 10 } });
    const refused = await api("POST", "/v1/chat", key.key, { message: "hello there", stream: false, max_tokens: 64 });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: "budget_exceeded", details: { limit: 10, level: "key", period: "day" } });
  });
});

describe("audit and secrecy", () => {
  it("records who did what to which tenant with the trace id, readable by operators and by the tenant's admin", async () => {
    const id = uniqueId("t");
    const other = uniqueId("t");
    const put = await api("PUT", `/v1/admin/tenants/${id}`, OPERATOR_KEY, tenantConfig(id));
    await deploy(other);
    const admin = await newKey(id, ["admin"]);
    const created = await api("POST", "/v1/admin/keys", admin.key, { name: "svc", scopes: ["chat"] });
    issued.push(created.body.data.key);
    await api("DELETE", `/v1/admin/keys/${created.body.data.id}`, admin.key);

    const ops = await api("GET", `/v1/admin/audit?tenant=${id}`, OPERATOR_KEY);
    expect(ops.status).toBe(200);
    const entries = ops.body.data.entries as { actor: string; action: string; tenantId: string; traceId: string; target: string | null; at: string }[];
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ["key.revoke", admin.id], ["key.create", admin.id], ["key.create", "dev-operator"], ["tenant.deploy", "dev-operator"],
    ]);
    expect(entries.at(-1)).toMatchObject({ tenantId: id, traceId: put.body.traceId, target: "version 1" });
    expect(entries.every((e) => e.tenantId === id && !Number.isNaN(Date.parse(e.at)))).toBe(true);

    const own = await api("GET", `/v1/admin/audit?tenant=${other}`, admin.key);
    expect(own.status).toBe(200);
    expect(own.body.data.entries.length).toBe(4);
    expect(own.body.data.entries.every((e: { tenantId: string }) => e.tenantId === id)).toBe(true);
    const page = await api("GET", `/v1/admin/audit?tenant=${id}&limit=3`, OPERATOR_KEY);
    expect(page.body.data.entries).toHaveLength(3);
    const rest = await api("GET", `/v1/admin/audit?tenant=${id}&limit=3&cursor=${page.body.data.nextCursor}`, OPERATOR_KEY);
    expect(rest.body.data).toMatchObject({ entries: [{ action: "tenant.deploy" }], nextCursor: null });
    expect((await api("GET", "/v1/admin/audit?limit=0", OPERATOR_KEY)).status).toBe(400);
  });

  it("limits failed authentications per client IP before any key lookup: 429 with Retry-After", async () => {
    const id = uniqueId("t");
    await deploy(id);
    const good = await newKey(id, ["chat"]);
    const guesser = client(gatewayUrl, ownIp());
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push((await guesser("GET", "/v1/usage", `sk-live-guess-${i}`)).status);
    expect(answers).toEqual(Array(20).fill(401));
    const blocked = await guesser("GET", "/v1/usage", "sk-live-guess-21");
    expect(blocked.status).toBe(429);
    expect(blocked.body.error?.code).toBe("rate_limited");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Even a good key waits from that address; from another it works.
    expect((await guesser("GET", "/v1/usage", good.key)).status).toBe(429);
    expect((await usage(good.key)).status).toBe(200);
  });

  it.skipIf(isRemote)("writes no key material to the admin audit or the mesh log", async () => {
    expect(issued.length).toBeGreaterThan(5);
    const audit = JSON.stringify((await api("GET", "/v1/admin/audit?limit=200", OPERATOR_KEY)).body);
    const log = readFileSync(inject("meshLogPath"), "utf8");
    for (const key of [...issued, DEMO_KEY, OPERATOR_KEY]) {
      expect(audit.includes(key)).toBe(false);
      expect(log.includes(key)).toBe(false);
    }
    // Not even the secret part of an issued key (after its `sk-live-`), nor its digest under the dev pepper.
    for (const key of issued) {
      const digest = createHmac("sha256", DEV_PEPPER).update(key).digest("hex");
      expect([key.slice(8), digest].some((text) => log.includes(text) || audit.includes(text))).toBe(false);
    }
    expect(audit).not.toMatch(/sk-live-/);
  });
});
