// scripts/check-deps.mjs against a fake workspace written to a temporary directory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { checkDeps } from "./check-deps.mjs";

let root = "";
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "check-deps-"));
  write("package.json", { name: "fake", private: true, workspaces: ["packages/*"], devDependencies: { vitest: "5.1.1" } });
  write("package-lock.json", { packages: { "node_modules/valibot": { version: "1.5.0" }, "node_modules/vitest": { version: "5.1.1" } } });
  write("packages/lib/package.json", { name: "@fake/lib", dependencies: { valibot: "1.5.0" } });
  write("packages/lib/src/index.ts", 'import * as v from "valibot";\nexport const Name = v.string();\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, content: unknown) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), typeof content === "string" ? content : JSON.stringify(content));
}

it("passes a package that declares everything it imports", () => {
  write("packages/app/package.json", { name: "@fake/app", dependencies: { "@fake/lib": "*", valibot: "1.5.0" } });
  write(
    "packages/app/src/index.ts",
    [
      'import { env } from "cloudflare:workers";',
      'import { join } from "node:path";',
      'import { Name } from "@fake/lib";',
      'import type { BaseSchema } from "valibot/dist/index.js";',
      'import { local } from "./local.ts";',
      "export { env, join, Name, local };",
      "export type S = BaseSchema<unknown, unknown, never>;",
      'export const text = "import x from \'undeclared-in-a-string\'";',
    ].join("\n"),
  );
  expect(checkDeps(root)).toEqual([]);
});

it("reports a library that is imported but only hoisted from the root", () => {
  write("packages/app/package.json", { name: "@fake/app", dependencies: { valibot: "1.5.0" } });
  write("packages/app/src/index.ts", 'import * as v from "valibot";\nimport { Router } from "itty-router";\nexport const r = Router(v);\n');
  write("packages/app/src/index.test.ts", 'import { it } from "vitest";\nit("runs", () => {});\n');
  expect(checkDeps(root)).toEqual([
    "packages/app/src/index.test.ts imports vitest, which packages/app/package.json does not declare",
    "packages/app/src/index.ts imports itty-router, which packages/app/package.json does not declare",
  ]);
});

it("reports type-only imports, re-exports, dynamic imports and tsconfig types", () => {
  write("packages/app/package.json", { name: "@fake/app" });
  write("packages/app/tsconfig.json", { compilerOptions: { types: ["@cloudflare/workers-types", "node"] } });
  write("packages/app/src/index.ts", 'import type { Hono } from "hono";\nexport * from "@scope/lib/sub";\nexport const later = () => import("openai");\nexport type H = Hono;\n');
  expect(checkDeps(root)).toEqual([
    "packages/app/src/index.ts imports hono, which packages/app/package.json does not declare",
    "packages/app/src/index.ts imports @scope/lib, which packages/app/package.json does not declare",
    "packages/app/src/index.ts imports openai, which packages/app/package.json does not declare",
    "packages/app/tsconfig.json imports @cloudflare/workers-types, which packages/app/package.json does not declare",
    "packages/app/tsconfig.json imports @types/node, which packages/app/package.json does not declare",
  ]);
});

it("reports ranges and versions other than the locked one", () => {
  write("packages/lib/package.json", { name: "@fake/lib", dependencies: { valibot: "^1.5.0" }, devDependencies: { vitest: "5.0.0" } });
  expect(checkDeps(root)).toEqual([
    'packages/lib/package.json: valibot is declared as "^1.5.0", not an exact version',
    "packages/lib/package.json: vitest is declared as 5.0.0 but the lock installs 5.1.1",
  ]);
});

it("checks the root's own scripts against the root package.json", () => {
  write("scripts/tool.mjs", 'import { Name } from "@fake/lib";\nimport { x } from "wrangler";\nexport { Name, x };\n');
  expect(checkDeps(root)).toEqual(["scripts/tool.mjs imports wrangler, which package.json does not declare"]);
});
