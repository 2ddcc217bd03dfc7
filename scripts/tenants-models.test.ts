// `npm run tenants` (scripts/tenants.mjs) stops on a model name no declared provider serves, naming file and field.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { loadTenants } from "./tenants.mjs";

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

function tenantDir(models: Record<string, unknown>): string {
  dir = mkdtempSync(join(tmpdir(), "tenants-models-"));
  mkdirSync(join(dir, "p"));
  const providers = { local: { kind: "openai-compatible", baseUrl: "http://127.0.0.1:11434/v1", models: ["small"] } };
  writeFileSync(join(dir, "p", "tenant.json"), JSON.stringify({ id: "p", name: "P", models: { chat: "local/small", ...models }, providers }));
  return dir;
}

it("compiles a tenant whose provider models are declared and listed", () => {
  expect(loadTenants([tenantDir({ allowed: ["local/small", "@cf/meta/llama-3.1-8b-instruct-fast"] })]).map((t: { id: string }) => t.id)).toEqual(["p"]);
});

it("refuses an unlisted model of a declared provider and an undeclared provider, with the field", () => {
  const root = tenantDir({ allowed: ["local/large"], fallback: "openai/gpt-4o-mini" });
  expect(() => loadTenants([root])).toThrow(/invalid tenant configuration:\n.*p\/tenant\.json:/);
  expect(() => loadTenants([root])).toThrow('"models.allowed.0": [\n      "model \\"local/large\\": \\"large\\" is not in providers.local.models (small)"');
  expect(() => loadTenants([root])).toThrow('"models.fallback": [\n      "model \\"openai/gpt-4o-mini\\" is neither a Workers AI model (@cf/..., @hf/...) nor <provider>/<model> of a declared provider (declared: local)"');
});
