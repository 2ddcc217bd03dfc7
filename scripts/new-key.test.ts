// `npm run key`: run against a temporary copy of tenants/, never the real files.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
let tenantsDir = "";

beforeEach(() => {
  tenantsDir = mkdtempSync(join(tmpdir(), "tenants-"));
  cpSync(join(ROOT, "tenants"), tenantsDir, { recursive: true });
});
afterEach(() => rmSync(tenantsDir, { recursive: true, force: true }));

const newKey = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "scripts", "new-key.mjs"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, TENANTS_DIR: tenantsDir } });
const keysFile = (id: string) => join(tenantsDir, id, "dev-keys.json");
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("npm run key", () => {
  it("prints a new dev key once and stores only its SHA-256 with the scopes in dev-keys.json", () => {
    const before = JSON.parse(readFileSync(keysFile("demo"), "utf8"));
    const config = readFileSync(join(tenantsDir, "demo", "tenant.json"), "utf8");
    const { status, stdout, stderr } = newKey("demo", "--scopes", "chat,search", "--id", "ci-bot");
    expect(status, stderr).toBe(0);
    const key = stdout.trim();
    expect(key).toMatch(/^sk-dev-[A-Za-z0-9_-]{43}$/);
    expect(stderr).toMatch(/shown once and is NOT stored/);

    const text = readFileSync(keysFile("demo"), "utf8");
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice("sk-dev-".length));
    expect(JSON.parse(text)).toEqual([...before, { id: "ci-bot", sha256: sha256(key), scopes: ["chat", "search"] }]);
    // The deployable tenant config is untouched: it carries no key material.
    expect(readFileSync(join(tenantsDir, "demo", "tenant.json"), "utf8")).toBe(config);
  });

  it("makes a different key and id on every run", () => {
    const first = newKey("acme", "--scopes", "search");
    const second = newKey("acme", "--scopes", "search");
    expect(first.stdout.trim()).not.toBe(second.stdout.trim());
    const ids = JSON.parse(readFileSync(keysFile("acme"), "utf8")).map((k: { id: string }) => k.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([
    [["nope", "--scopes", "chat"], 'unknown tenant "nope"'],
    [["demo", "--scopes", "chat,root"], 'unknown scope "root"'],
    [["demo"], "--scopes is required"],
    [["demo", "--scopes", "chat", "--id", "dev-demo"], 'already has a key with id "dev-demo"'],
    [["../demo", "--scopes", "chat"], 'unknown tenant "../demo"'],
  ])("refuses %j with a clear error and leaves the file alone", (args, message) => {
    const before = readFileSync(keysFile("demo"), "utf8");
    const { status, stdout, stderr } = newKey(...args);
    expect(status).toBe(1);
    expect(stderr).toContain(message);
    expect(stdout).toBe("");
    expect(readFileSync(keysFile("demo"), "utf8")).toBe(before);
  });
});
