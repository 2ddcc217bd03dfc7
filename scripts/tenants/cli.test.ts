// The tenants CLI against a fake admin API (fake-platform.ts): every verb, its output and exit code, in a temp
// tenants directory so the real tenants/ is never touched.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "./cli.mjs";
import { BOOTSTRAP_TOKEN, OPERATOR_KEY, startFakePlatform, TENANT_ADMIN_KEY, type FakePlatform } from "./fake-platform.ts";

let platform: FakePlatform;
let dir: string;

beforeAll(async () => {
  platform = await startFakePlatform();
});
afterAll(() => platform.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tenants-cli-"));
  cpSync(join(import.meta.dirname, "..", "..", "tenants", "acme"), join(dir, "acme"), { recursive: true });
  platform.tenants.clear();
  platform.keys.clear();
  platform.rejectPut.clear();
  platform.requests.length = 0;
  return () => rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string> = {}) {
  const lines: string[] = [];
  const code = await main([...argv, "--tenants-dir", dir], {
    env: { PLATFORM_URL: platform.url, PLATFORM_ADMIN_KEY: OPERATOR_KEY, ...env },
    out: (line: string) => lines.push(line),
    err: (line: string) => lines.push(line),
  });
  return { code, out: lines.join("\n") };
}

const tenantFile = (id: string) => join(dir, id, "tenant.json");
const readJson = (id: string) => JSON.parse(readFileSync(tenantFile(id), "utf8"));
const writeJson = (id: string, value: unknown) => writeFileSync(tenantFile(id), JSON.stringify(value, null, 2));

describe("new", () => {
  it("scaffolds a valid tenant from another one, without its hosts or keys, with prompts", async () => {
    const { code, out } = await cli(["new", "t1", "--from", "acme"]);
    expect(code).toBe(0);
    expect(out).toContain("write ");
    const t1 = readJson("t1");
    expect(t1).toMatchObject({ id: "t1", name: "t1", limits: { requestsPerMinute: 60, burst: 20 } });
    expect(t1.hosts).toBeUndefined();
    expect(t1.keys ?? []).toEqual([]);
    expect(readFileSync(join(dir, "t1", "prompts", "system.md"), "utf8")).toMatch(/assistant of t1/);
    expect((await cli(["validate"])).code).toBe(0);
  });

  it("prints what it would write and writes nothing on --dry-run", async () => {
    const { code, out } = await cli(["new", "t2", "--dry-run"]);
    expect(code).toBe(0);
    expect(out).toMatch(/would write .*t2[/\\]tenant\.json/);
    expect(out).toContain('"id": "t2"');
    expect(existsSync(join(dir, "t2"))).toBe(false);
  });

  it("refuses to overwrite a tenant, and refuses a bad id or an unknown --from", async () => {
    expect(await cli(["new", "acme"])).toMatchObject({ code: 1, out: expect.stringContaining("already exists") });
    expect(await cli(["new", "Bad_Id"])).toMatchObject({ code: 2, out: expect.stringContaining("invalid") });
    expect(await cli(["new", "t3", "--from", "nope"])).toMatchObject({ code: 1, out: expect.stringContaining('no tenant "nope"') });
    expect(await cli(["new"])).toMatchObject({ code: 2, out: expect.stringContaining("usage:") });
  });
});

describe("validate", () => {
  it("prints field-level errors and exits 1 on any invalid tenant", async () => {
    await cli(["new", "t1"]);
    writeJson("t1", { ...readJson("t1"), limits: { requestsPerMinute: 0 }, models: {} });
    const { code, out } = await cli(["validate"]);
    expect(code).toBe(1);
    expect(out).toContain("ok       acme");
    expect(out).toContain("invalid  t1");
    expect(out).toContain("limits.requestsPerMinute:");
    expect(out).toContain("models.chat:");
    expect(out).toContain("1 valid, 1 invalid");
  });
});

describe("deploy, diff, rollback, status", () => {
  it("deploys a tenant with its prompts and no key material, then reports it unchanged", async () => {
    await cli(["new", "t1", "--from", "acme"]);
    expect(await cli(["deploy", "t1"])).toEqual({ code: 0, out: "deployed t1  version 1" });
    const put = platform.requests.find((r) => r.method === "PUT")!;
    expect(put.path).toBe("/v1/admin/tenants/t1");
    expect(put.body).toMatchObject({ id: "t1", prompts: { system: expect.stringContaining("assistant of t1"), answer: expect.any(String) } });
    expect(JSON.stringify(put.body)).not.toContain("sha256");
    expect(await cli(["deploy", "t1"])).toEqual({ code: 0, out: "same     t1  version 1 (unchanged)" });
  });

  it("names the drifted field, exits 1, and exits 0 once deployed; rollback restores the old version", async () => {
    await cli(["new", "t1", "--from", "acme"]);
    expect((await cli(["diff", "t1"])).out).toBe("t1: not deployed");
    await cli(["deploy", "t1"]);
    expect(await cli(["diff", "t1"])).toEqual({ code: 0, out: "t1: no drift (version 1)" });
    writeJson("t1", { ...readJson("t1"), limits: { ...readJson("t1").limits, requestsPerMinute: 120 } });
    writeFileSync(join(dir, "t1", "prompts", "answer.md"), "Be terse.\n");
    const drifted = await cli(["diff", "t1"]);
    expect(drifted.code).toBe(1);
    expect(drifted.out).toContain("limits.requestsPerMinute: 60 -> 120");
    expect(drifted.out).toContain('prompts.answer: "Answer for t1\'s users in a friendly, factual tone." -> "Be terse."');
    expect((await cli(["deploy", "t1", "--dry-run"])).out).toContain("  limits.requestsPerMinute: 60 -> 120");
    expect(platform.tenants.get("t1")!.current).toBe(1);
    expect(await cli(["deploy", "t1"])).toEqual({ code: 0, out: "deployed t1  version 2" });
    expect((await cli(["diff", "t1"])).code).toBe(0);
    const rolled = await cli(["rollback", "t1"]);
    expect(rolled.code).toBe(0);
    expect(rolled.out).toContain("now version 3");
    expect(platform.requests.at(-1)).toMatchObject({ method: "POST", path: "/v1/admin/tenants/t1/rollback", body: {} });
    expect((await cli(["diff", "t1"])).out).toContain("limits.requestsPerMinute: 60 -> 120");
    expect((await cli(["rollback", "t1", "--to", "2"])).code).toBe(0);
    expect(platform.requests.at(-1)!.body).toEqual({ to: 2 });
    expect((await cli(["rollback", "t1", "--to", "x"])).code).toBe(2);
  });

  it("goes on past a failing tenant with --all, prints a line per tenant and exits 1", async () => {
    await cli(["new", "t1"]);
    await cli(["new", "t2"]);
    await cli(["new", "t3"]);
    writeJson("t2", { ...readJson("t2"), limits: { burst: -1 } });
    platform.rejectPut.add("t1");
    const { code, out } = await cli(["deploy", "--all"]);
    expect(code).toBe(1);
    expect(out.split("\n")).toEqual([
      "deployed acme  version 1",
      expect.stringMatching(/^failed   t1  PUT \/v1\/admin\/tenants\/t1: 400 invalid_request: the platform refused this config/),
      expect.stringMatching(/^failed   t2  invalid tenant file: limits.burst/),
      "deployed t3  version 1",
      "2 of 4 tenants deployed, 2 failed",
    ]);
    platform.rejectPut.clear();
    writeJson("t2", { ...readJson("t2"), limits: { burst: 5 } });
    expect((await cli(["deploy", "--all"])).code).toBe(0);
    expect((await cli(["diff", "--all"])).code).toBe(0);
  });

  it("skips development fixtures with --all and refuses them by name outside development", async () => {
    await cli(["new", "t1"]);
    await cli(["new", "t2"]);
    writeFileSync(join(dir, "t2", "dev-keys.json"), "[]");
    const production = { PLATFORM_ENV: "production" };
    expect((await cli(["deploy", "--all"], production)).out.split("\n")).toEqual([
      "skipped  acme  development fixture, not deployed outside local development",
      "deployed t1  version 1",
      "skipped  t2  development fixture, not deployed outside local development",
      "1 of 3 tenants deployed, 2 skipped, 0 failed",
    ]);
    expect(await cli(["deploy", "acme"], production)).toMatchObject({ code: 1, out: expect.stringContaining('"acme" is a development fixture') });
  });

  it("shows a status table: version, disabled, drift", async () => {
    await cli(["new", "t1"]);
    await cli(["new", "t2"]);
    await cli(["deploy", "t1"]);
    await cli(["deploy", "t2"]);
    writeJson("t2", { ...readJson("t2"), name: "renamed" });
    expect((await cli(["disable", "t1"])).out).toBe("t1: disabled");
    const { code, out } = await cli(["status"]);
    expect(code).toBe(0);
    const rows = out.split("\n").map((line) => line.split(/\s{2,}/).slice(0, 4));
    expect(rows).toEqual([["TENANT", "VERSION", "DISABLED", "DRIFT"], ["acme", "-", "-", "not deployed"], ["t1", "1", "yes", "no"], ["t2", "1", "no", "yes"]]);
    expect((await cli(["enable", "t1"])).out).toBe("t1: enabled");
  });
});

describe("keys and operator keys", () => {
  it("creates (printing the key once), lists, rotates and revokes a tenant's keys", async () => {
    await cli(["new", "t1"]);
    await cli(["deploy", "t1"]);
    const created = await cli(["keys", "t1", "create", "--name", "app", "--scopes", "chat,search", "--rpm", "30", "--tokens-per-day", "1000"]);
    expect(created.code).toBe(0);
    expect(created.out).toContain('key key-1 "app" for t1, scopes chat,search');
    expect(created.out).toContain("sk-live-k1-secret");
    expect(platform.requests.at(-1)!.body).toEqual({ name: "app", scopes: ["chat", "search"], limits: { requestsPerMinute: 30 }, budgets: { tokensPerDay: 1000 } });
    const listed = await cli(["keys", "t1", "list"]);
    expect(listed.out).toMatch(/^ID\s+NAME\s+PREFIX/);
    expect(listed.out).toMatch(/key-1\s+app\s+sk-live-k1\s+chat,search/);
    expect(listed.out).not.toContain("secret");
    const rotated = await cli(["keys", "t1", "rotate", "key-1", "--overlap-seconds", "60"]);
    expect(rotated.out).toContain("new key key-2 for t1");
    expect(rotated.out).toContain("the old key key-1 stays valid until");
    expect(platform.requests.at(-1)!.body).toEqual({ overlapSeconds: 60 });
    expect((await cli(["keys", "t1", "revoke", "key-1"])).out).toMatch(/^revoked key-1 of t1 at /);
    expect(await cli(["keys", "t1", "revoke", "key-9"])).toMatchObject({ code: 1, out: expect.stringContaining("404 not_found") });
    expect((await cli(["keys", "t1", "revoke"])).code).toBe(2);
    expect((await cli(["keys", "t1", "explode"])).code).toBe(2);
  });

  it("creates an operator key and prints it once", async () => {
    const { code, out } = await cli(["operator-key", "create", "--name", "ci"]);
    expect(code).toBe(0);
    expect(out).toMatch(/^operator key op-\d+ \(shown once.*\nsk-live-op\d+$/);
    expect(platform.requests.at(-1)).toMatchObject({ method: "POST", path: "/v1/admin/operator-keys", body: { name: "ci" } });
  });

  it("bootstraps the first operator key with the BOOTSTRAP_TOKEN", async () => {
    expect(await cli(["operator-key", "create", "--bootstrap"])).toMatchObject({ code: 1, out: expect.stringContaining("BOOTSTRAP_TOKEN is not set") });
    const { code, out } = await cli(["operator-key", "create", "--bootstrap", "--name", "first"], { BOOTSTRAP_TOKEN: BOOTSTRAP_TOKEN, PLATFORM_ADMIN_KEY: "" });
    expect(code).toBe(0);
    expect(out).toMatch(/^operator key op-\d+ /);
    expect(platform.requests.at(-1)).toMatchObject({ method: "POST", path: "/v1/admin/bootstrap", body: { name: "first" } });
  });
});

describe("errors", () => {
  it("says when the platform refuses the key (401) or the key is not an operator's (403)", async () => {
    expect(await cli(["status"], { PLATFORM_ADMIN_KEY: "sk-wrong" })).toMatchObject({ code: 1, out: expect.stringContaining("refused the key (401 unauthorized): check PLATFORM_ADMIN_KEY") });
    expect(await cli(["status"], { PLATFORM_ADMIN_KEY: TENANT_ADMIN_KEY })).toMatchObject({ code: 1, out: expect.stringContaining("not allowed to do this (403 forbidden)") });
  });

  it("says when the platform is unreachable, and needs https and a key outside local development", async () => {
    expect(await cli(["status"], { PLATFORM_URL: "http://127.0.0.1:1" })).toMatchObject({ code: 1, out: expect.stringContaining("cannot reach the platform at http://127.0.0.1:1") });
    expect(await cli(["status"], { PLATFORM_URL: "http://platform.example.com" })).toMatchObject({ code: 1, out: expect.stringContaining("must use https") });
    expect(await cli(["status"], { PLATFORM_URL: "https://platform.example.com", PLATFORM_ADMIN_KEY: "" })).toMatchObject({ code: 1, out: expect.stringContaining("PLATFORM_ADMIN_KEY is not set") });
  });

  it("answers an unknown verb or option with the usage and exit code 2", async () => {
    expect(await cli(["explode"])).toMatchObject({ code: 2, out: expect.stringContaining("usage: npm run tenants") });
    expect(await cli(["deploy", "t1", "--force"])).toMatchObject({ code: 2, out: expect.stringContaining("Unknown option '--force'") });
    expect(await cli(["deploy", "t1", "--all"])).toMatchObject({ code: 2 });
  });

  it("exits the process with the verb's code when run as `npm run tenants`", () => {
    writeJson("acme", { ...readJson("acme"), limits: { burst: 0 } });
    const run = spawnSync(process.execPath, [join(import.meta.dirname, "cli.mjs"), "validate", "--tenants-dir", dir], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("limits.burst:");
  });

  it("says which file is invalid when asked to diff it", async () => {
    mkdirSync(join(dir, "broken"));
    writeFileSync(tenantFile("broken"), "{ nope");
    expect(await cli(["validate"])).toMatchObject({ code: 1, out: expect.stringContaining("(file): not valid JSON") });
    expect(await cli(["diff", "broken"])).toMatchObject({ code: 1, out: expect.stringContaining("is invalid") });
  });
});
