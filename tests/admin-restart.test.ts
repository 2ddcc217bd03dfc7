// The registry survives a restart of the mesh: deployed versions, disabled flags, keys (and revocations) and the
// audit log live in the gateway's Registry Durable Object, on a mesh of this file's own, stopped and started again.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { freePort, startMesh } from "../scripts/mesh.mjs";
import { isRemote, uniqueId } from "./helpers.ts";
import { OPERATOR_KEY, client, ownIp, tenantConfig } from "./admin-helpers.ts";

const persistTo = mkdtempSync(join(tmpdir(), "mesh-admin-restart-"));
let mesh: { url: string; stop(): Promise<void> } | undefined;
const api = client(() => mesh?.url ?? "", ownIp());
const start = async () => (mesh = await startMesh({ port: await freePort(), persistTo, timeoutMs: 180_000 }));

afterAll(async () => {
  await mesh?.stop();
  rmSync(persistTo, { recursive: true, force: true });
});

describe.skipIf(isRemote)("after a mesh restart", () => {
  it("keeps tenants, versions, the disabled flag, keys, revocations and the audit log", async () => {
    await start();
    const id = uniqueId("t");
    const off = uniqueId("t");
    for (const [tenant, rpm] of [[id, 100], [id, 200], [off, 100]] as const) {
      expect((await api("PUT", `/v1/admin/tenants/${tenant}`, OPERATOR_KEY, tenantConfig(tenant, { limits: { requestsPerMinute: rpm, burst: 50 } }))).status).toBe(200);
    }
    expect((await api("POST", `/v1/admin/tenants/${id}/rollback`, OPERATOR_KEY)).body.data).toEqual({ id, version: 3, rolledBackFrom: 1 });
    const kept = (await api("POST", `/v1/admin/tenants/${id}/keys`, OPERATOR_KEY, { name: "kept", scopes: ["chat"] })).body.data;
    const gone = (await api("POST", `/v1/admin/tenants/${id}/keys`, OPERATOR_KEY, { name: "gone", scopes: ["chat"] })).body.data;
    const offKey = (await api("POST", `/v1/admin/tenants/${off}/keys`, OPERATOR_KEY, { name: "off", scopes: ["chat"] })).body.data;
    expect((await api("DELETE", `/v1/admin/tenants/${id}/keys/${gone.id}`, OPERATOR_KEY)).status).toBe(200);
    expect((await api("POST", `/v1/admin/tenants/${off}/disable`, OPERATOR_KEY)).status).toBe(200);
    const auditBefore = (await api("GET", "/v1/admin/audit", OPERATOR_KEY)).body.data.entries;

    await mesh?.stop();
    await start();

    const usage = await api("GET", "/v1/usage", kept.key);
    expect(usage.status).toBe(200);
    expect(usage.headers.get("ratelimit-limit")).toBe("100");
    expect((await api("GET", "/v1/usage", gone.key)).status).toBe(401);
    expect((await api("GET", "/v1/usage", offKey.key)).body.error?.code).toBe("tenant_disabled");
    const versions = (await api("GET", `/v1/admin/tenants/${id}/versions`, OPERATOR_KEY)).body.data.versions;
    expect(versions.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([[3, true], [2, false], [1, false]]);
    expect((await api("GET", `/v1/admin/tenants/${id}/keys`, OPERATOR_KEY)).body.data.keys.map((k: { name: string; revokedAt: string | null }) => [k.name, k.revokedAt === null]).sort((a: [string], b: [string]) => a[0].localeCompare(b[0]))).toEqual([["gone", false], ["kept", true]]);
    expect((await api("GET", "/v1/admin/audit", OPERATOR_KEY)).body.data.entries).toEqual(auditBefore);
  }, 600_000);
});
