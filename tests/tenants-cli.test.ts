// The tenants CLI against the real mesh, the must-hold flow: new --from acme, deploy, keys create (the key
// works at once); a limit changed in git is drift until deployed, and rollback restores it; revoke -> 401.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { main } from "../scripts/tenants/cli.mjs";
import { call, eventually, gatewayUrl, isRemote, uniqueId } from "./helpers.ts";

const ROOT = join(import.meta.dirname, "..");
// The admin API lands with the tenant registry (issue 11, items 1-3); until then there is nothing to deploy to.
const registryLanded = existsSync(join(ROOT, "services", "gateway", "src", "routes", "admin-tenants.ts"));

let dir: string;
const id = uniqueId("cli");

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tenants-cli-mesh-"));
  cpSync(join(ROOT, "tenants", "acme", "tenant.json"), join(dir, "acme", "tenant.json"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const lines: string[] = [];
  const code = await main([...argv, "--tenants-dir", dir], {
    env: { PLATFORM_URL: gatewayUrl(), PLATFORM_ADMIN_KEY: "sk-dev-operator" },
    out: (line: string) => lines.push(line),
    err: (line: string) => lines.push(line),
  });
  return { code, out: lines.join("\n") };
}

const rpm = async (key: string) => (await call("/v1/usage", { key })).headers.get("ratelimit-limit");

describe.skipIf(!registryLanded || isRemote)("tenants CLI on the mesh", () => {
  let key = "";

  it("scaffolds a tenant from acme, deploys it, and a new key works at once", async () => {
    expect(await cli("new", id, "--from", "acme")).toMatchObject({ code: 0 });
    expect(await cli("deploy", id)).toEqual({ code: 0, out: `deployed ${id}  version 1` });
    const created = await cli("keys", id, "create", "--name", "app", "--scopes", "chat,search");
    expect(created.code).toBe(0);
    key = /sk-live-\S+/.exec(created.out)![0];
    const usage = await call("/v1/usage", { key });
    expect(usage.status).toBe(200);
    expect(await rpm(key)).toBe("60");
  });

  it("reports a changed limit as drift until deployed; rollback restores the old one", async () => {
    const file = join(dir, id, "tenant.json");
    const config = JSON.parse(readFileSync(file, "utf8"));
    writeFileSync(file, JSON.stringify({ ...config, limits: { ...config.limits, requestsPerMinute: 120 } }, null, 2));
    const drifted = await cli("diff", id);
    expect(drifted).toEqual({ code: 1, out: `${id}: drift from deployed version 1\n  limits.requestsPerMinute: 60 -> 120` });
    expect(await cli("deploy", id)).toEqual({ code: 0, out: `deployed ${id}  version 2` });
    expect(await cli("diff", id)).toEqual({ code: 0, out: `${id}: no drift (version 2)` });
    await eventually(async () => expect(await rpm(key)).toBe("120"), { timeoutMs: 15_000, intervalMs: 500 });
    expect((await cli("rollback", id)).out).toContain("now version 3");
    expect(await cli("diff", id)).toMatchObject({ code: 1, out: expect.stringContaining("limits.requestsPerMinute: 60 -> 120") });
    await eventually(async () => expect(await rpm(key)).toBe("60"), { timeoutMs: 15_000, intervalMs: 500 });
  });

  it("lists and revokes the key; the revoked key gets 401 within 10 s", async () => {
    const listed = await cli("keys", id, "list");
    const keyId = new RegExp(`^(\\S+)\\s+app\\s`, "m").exec(listed.out)![1]!;
    expect(listed.out).not.toContain(key);
    expect((await cli("keys", id, "revoke", keyId)).code).toBe(0);
    await eventually(async () => expect((await call("/v1/usage", { key })).status).toBe(401), { timeoutMs: 12_000, intervalMs: 500 });
  });
});
