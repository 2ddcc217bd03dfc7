// `gen service` end to end on a temp copy of the repository's sources: the generated Worker's Env types are written,
// it typechecks, and a small mesh (the copied gateway and the new service) reports it healthy on GET /health.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { main as gen } from "../scripts/gen/cli.mjs";
// @ts-expect-error plain ESM script without types
import { freePort, startMesh } from "../scripts/mesh.mjs";
import { DEMO_KEY, twinOnly } from "./helpers.ts";

const ROOT = join(import.meta.dirname, "..");
const NAME = "hello-gen";
const skipCopy = (source: string) => !/[/\\](node_modules|\.wrangler|\.turbo|dist)([/\\]|$)/.test(source);
let copy: string;
let mesh: { url: string; stop(): Promise<void>; output(): string } | undefined;

beforeAll(() => {
  // Inside the repository, so packages the copy does not hold resolve from the real node_modules.
  mkdirSync(join(ROOT, ".wrangler"), { recursive: true });
  copy = mkdtempSync(join(ROOT, ".wrangler", "gen-test-"));
  for (const part of ["shared", "services", "scripts", "tsconfig.base.json"]) cpSync(join(ROOT, part), join(copy, part), { recursive: true, filter: skipCopy });
  // The console's build is not copied (dist is skipped); this mesh only needs its assets directory to exist.
  mkdirSync(join(copy, "services", "gateway", "console", "dist"), { recursive: true });
  // The copy's own workspace packages (the gateway must see the copy's shared, with the new service in SERVICES).
  mkdirSync(join(copy, "node_modules", "@platform"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules", "wrangler"), join(copy, "node_modules", "wrangler"));
  symlinkSync(join(copy, "shared"), join(copy, "node_modules", "@platform", "shared"));
  for (const service of readdirSync(join(copy, "services"))) symlinkSync(join(copy, "services", service), join(copy, "node_modules", "@platform", service));
});

afterAll(async () => {
  await mesh?.stop();
  if (copy) rmSync(copy, { recursive: true, force: true });
});

twinOnly.describe("gen service", () => {
  it("generates a Worker whose Env types are written and which typechecks", () => {
    const lines: string[] = [];
    const code = gen(["service", NAME, "--root", copy], { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) });
    expect({ code, out: lines.join("\n") }).toMatchObject({ code: 0 });
    expect(readFileSync(join(copy, "services", NAME, "worker-configuration.d.ts"), "utf8")).toContain("interface HelloGenEnv");
    expect(readFileSync(join(copy, "services", "gateway", "worker-configuration.d.ts"), "utf8")).toMatch(/HELLO_GEN: Service.*HelloGenService/);
    const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(copy, "services", NAME)], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  }, 600_000);

  it("answers healthy through the gateway's GET /health", async () => {
    expect(existsSync(join(copy, "services", NAME, "wrangler.jsonc"))).toBe(true);
    const configs = ["gateway", NAME].map((s) => join(copy, "services", s, "wrangler.jsonc"));
    const started = (mesh = await startMesh({ port: await freePort(), persistTo: join(copy, "state"), services: configs, timeoutMs: 240_000 }));
    const response = await fetch(`${started.url}/health?service=${NAME}`, { headers: { authorization: `Bearer ${DEMO_KEY}` } });
    const body = (await response.json()) as { data: { services: Record<string, { ok: boolean; version: string }> } };
    expect(response.status).toBe(200);
    expect(body.data.services).toEqual({ [NAME]: expect.objectContaining({ ok: true, version: "0.0.0" }) });
  }, 600_000);
});
