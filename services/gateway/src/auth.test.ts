// Authentication without the runtime: dev keys only in development, the dev operator key, tenant agreement, and
// runtime keys looked up by HMAC digest in a registry stand-in (revoked, expired, disabled tenant).
import { beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "./auth.ts";
import { hmacHex, sha256Hex } from "./keys.ts";
import { DEV_KEYS, TENANTS } from "./tenants.generated.ts";

beforeAll(() => {
  // Workers provide crypto.subtle.timingSafeEqual; Node does not.
  const subtle = crypto.subtle as unknown as { timingSafeEqual?: (a: Uint8Array, b: Uint8Array) => boolean };
  subtle.timingSafeEqual ??= (a, b) => a.length === b.length && a.every((byte, i) => byte === b[i]);
});

const req = (headers: Record<string, string>, url = "http://127.0.0.1/v1/usage") => new Request(url, { headers: { "cf-connecting-ip": "10.0.0.1", ...headers } });
const acme = TENANTS.find((t) => t.id === "acme");

interface FakeKey { hash: string; revokedAt?: string | null; expiresAt?: string | null; tenantId?: string }

/** A GatewayEnv whose REGISTRY and AUTH_FAILURES are in-memory stand-ins. */
function env(environment: "development" | "staging" | "production", keys: FakeKey[] = [], disabled = false) {
  const failures: number[] = [];
  const registryStub = {
    getTenant: async (id: string) => (disabled && id === "acme" && acme ? { id, version: 1, disabled: true, updatedAt: "", config: acme } : null),
    tenantIdByHost: async () => null,
    lookupKey: async (hash: string) => {
      const k = keys.find((key) => key.hash === hash);
      if (!k) return null;
      const key = { id: "key_1", tenantId: k.tenantId ?? "acme", name: "n", prefix: "sk-live-xxxx", scopes: ["chat"], createdAt: "", expiresAt: k.expiresAt ?? null, revokedAt: k.revokedAt ?? null, lastUsedAt: null };
      return { key, hash, tenant: acme ? { id: "acme", version: 1, disabled, updatedAt: "", config: acme } : null };
    },
    touchKey: async () => undefined,
  };
  const guard = { check: async () => 0, fail: async () => (failures.push(1) > 20 ? 1000 : 0) };
  const ns = (stub: unknown) => ({ idFromName: (name: string) => name, get: () => stub });
  return { ENVIRONMENT: environment, KEY_PEPPER: "test-pepper", REGISTRY: ns(registryStub), AUTH_FAILURES: ns(guard) } as unknown as GatewayEnv;
}

describe("authenticate", () => {
  it("serves only the pinned tenant in single-tenant mode (TENANT_ID): every other tenant is unknown", async () => {
    const pinned = (tenant: string) => ({ ...env("development"), TENANT_ID: tenant }) as GatewayEnv;
    expect((await authenticate(req({ authorization: "Bearer sk-dev-acme" }), pinned("acme"))).tenant.id).toBe("acme");
    await expect(authenticate(req({ authorization: "Bearer sk-dev-demo" }), pinned("acme"))).rejects.toMatchObject({ body: { code: "unknown_tenant" } });
    await expect(authenticate(req({ authorization: "Bearer sk-dev-acme", "x-tenant-id": "demo" }), pinned("acme"))).rejects.toMatchObject({ body: { code: "unknown_tenant" } });
  });

  it("resolves the tenant and scopes from a dev key in development", async () => {
    const caller = await authenticate(req({ authorization: "Bearer sk-dev-acme" }), env("development"));
    expect(caller.tenant.id).toBe("acme");
    expect(caller.scopes).not.toContain("tts");
    expect(caller.operator).toBe(false);
  });

  it("refuses dev keys, the dev operator key among them, outside development", async () => {
    for (const key of ["sk-dev-demo", "sk-dev-operator"]) {
      await expect(authenticate(req({ authorization: `Bearer ${key}` }), env("production"))).rejects.toThrow(/invalid API key/);
      await expect(authenticate(req({ authorization: `Bearer ${key}` }), env("staging"))).rejects.toThrow(/invalid API key/);
    }
    const operator = await authenticate(req({ authorization: "Bearer sk-dev-operator" }), env("development"));
    expect(operator).toMatchObject({ operator: true, scopes: ["platform"], keyId: "dev-operator" });
  });

  it("keeps dev keys out of tenant configs: digests only, in the dev fixtures", async () => {
    const digest = await sha256Hex("sk-dev-demo");
    expect(DEV_KEYS.filter((k) => k.tenantId === "demo").map((k) => k.sha256)).toContain(digest);
    expect(JSON.stringify(TENANTS)).not.toContain(digest);
    expect(JSON.stringify([TENANTS, DEV_KEYS])).not.toContain("sk-dev-demo");
  });

  it("rejects a tenant header or host that disagrees with the key", async () => {
    await expect(authenticate(req({ "x-api-key": "sk-dev-demo", "x-tenant-id": "acme" }), env("development"))).rejects.toThrow(/does not match/);
    await expect(authenticate(req({ "x-api-key": "sk-dev-demo" }, "http://acme.localhost/v1/usage"), env("development"))).rejects.toThrow(/another tenant/);
    const viaHost = await authenticate(req({ "x-api-key": "sk-dev-demo" }, "http://demo.localhost/v1/usage"), env("development"));
    expect(viaHost.tenant.id).toBe("demo");
  });

  it("accepts a runtime key by its HMAC digest, and refuses it revoked, expired or with its tenant disabled", async () => {
    const key = "sk-live-unit-test-key-1";
    const hash = await hmacHex("test-pepper", key);
    const ok = await authenticate(req({ authorization: `Bearer ${key}`, "x-user-id": "user-7" }), env("production", [{ hash }]));
    expect(ok).toMatchObject({ keyId: "key_1", tenant: { id: "acme" }, key: { id: "key_1" }, userId: "user-7" });
    const other = "sk-live-unit-test-key-2";
    const revoked = { hash: await hmacHex("test-pepper", other), revokedAt: new Date().toISOString() };
    await expect(authenticate(req({ authorization: `Bearer ${other}` }), env("production", [revoked]))).rejects.toThrow(/invalid API key/);
    const third = "sk-live-unit-test-key-3";
    const expired = { hash: await hmacHex("test-pepper", third), expiresAt: new Date(Date.now() - 1000).toISOString() };
    await expect(authenticate(req({ authorization: `Bearer ${third}` }), env("production", [expired]))).rejects.toThrow(/invalid API key/);
    const fourth = "sk-live-unit-test-key-4";
    const disabled = env("production", [{ hash: await hmacHex("test-pepper", fourth) }], true);
    await expect(authenticate(req({ authorization: `Bearer ${fourth}` }), disabled)).rejects.toThrow(/disabled/);
  });

  it("refuses to authenticate in production without KEY_PEPPER (503)", async () => {
    const noPepper = { ...env("production"), KEY_PEPPER: undefined } as unknown as GatewayEnv;
    await expect(authenticate(req({ authorization: "Bearer sk-live-whatever" }), noPepper)).rejects.toMatchObject({ status: 503 });
  });
});
