// Tenant authentication without the runtime: hashed keys, dev keys only in development, tenant agreement.
import { beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "./auth.ts";
import { sha256Hex } from "./keys.ts";
import { TENANTS } from "./tenants.generated.ts";

beforeAll(() => {
  // Workers provide crypto.subtle.timingSafeEqual; Node does not.
  const subtle = crypto.subtle as unknown as { timingSafeEqual?: (a: Uint8Array, b: Uint8Array) => boolean };
  subtle.timingSafeEqual ??= (a, b) => a.length === b.length && a.every((byte, i) => byte === b[i]);
});

const req = (headers: Record<string, string>, url = "http://127.0.0.1/v1/usage") => new Request(url, { headers });

describe("authenticate", () => {
  it("resolves the tenant and scopes from a dev key in development", async () => {
    const caller = await authenticate(req({ authorization: "Bearer sk-dev-acme" }), "development");
    expect(caller.tenant.id).toBe("acme");
    expect(caller.scopes).not.toContain("tts");
  });

  it("refuses dev keys outside development", async () => {
    await expect(authenticate(req({ authorization: "Bearer sk-dev-demo" }), "production")).rejects.toThrow(/invalid API key/);
    await expect(authenticate(req({ authorization: "Bearer sk-dev-demo" }), "staging")).rejects.toThrow(/invalid API key/);
  });

  it("stores no key in clear: tenant files hold only SHA-256 digests", async () => {
    const digest = await sha256Hex("sk-dev-demo");
    const demo = TENANTS.find((t) => t.id === "demo");
    expect(demo?.keys.map((k) => k.sha256)).toContain(digest);
    expect(JSON.stringify(TENANTS)).not.toContain("sk-dev-demo");
  });

  it("rejects a tenant header or host that disagrees with the key", async () => {
    await expect(authenticate(req({ "x-api-key": "sk-dev-demo", "x-tenant-id": "acme" }), "development")).rejects.toThrow(/does not match/);
    await expect(authenticate(req({ "x-api-key": "sk-dev-demo" }, "http://acme.localhost/v1/usage"), "development")).rejects.toThrow(/another tenant/);
    const viaHost = await authenticate(req({ "x-api-key": "sk-dev-demo" }, "http://demo.localhost/v1/usage"), "development");
    expect(viaHost.tenant.id).toBe("demo");
  });
});
