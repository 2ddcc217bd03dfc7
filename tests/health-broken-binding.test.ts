// A service whose binding is broken reports not ok on GET /health, the others ok, an absent one "unreachable", and the
// gateway answers 503 "degraded" rather than a 500. Runs its own small mesh: gateway, tts, the AI twin (the ai probes
// reach it), and tools from a copy of its wrangler.jsonc whose audit D1 is a database nobody migrated.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { freePort, ROOT, startMesh } from "../scripts/mesh.mjs";
import { DEMO_KEY, isRemote } from "./helpers.ts";

interface Probed {
  ok: boolean;
  version?: string;
  error?: string;
  checks?: Record<string, { ok: boolean }>;
}

/** services/tools/wrangler.jsonc with its paths made absolute and its audit database swapped for an empty one. */
function brokenToolsConfig(dir: string): string {
  const original = readFileSync(join(ROOT, "services", "tools", "wrangler.jsonc"), "utf8");
  const broken = original
    .replace(`"main": "src/index.ts"`, `"main": ${JSON.stringify(join(ROOT, "services", "tools", "src", "index.ts"))}`)
    .replace(`"database_id": "local-platform-audit", "migrations_dir": "migrations"`, `"database_id": "health-test-unmigrated"`);
  expect(broken).toContain("health-test-unmigrated");
  expect(broken).not.toContain(`"main": "src/index.ts"`);
  const path = join(dir, "wrangler.jsonc");
  writeFileSync(path, broken);
  return path;
}

describe.skipIf(isRemote)("GET /health with a broken binding", () => {
  let dir: string;
  let mesh: { url: string; stop: () => Promise<void> };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "health-broken-"));
    // startMesh gives the mesh a dev registry of its own, so the absent services stay absent.
    mesh = await startMesh({ port: await freePort(), persistTo: join(dir, "state"), timeoutMs: 120_000, services: ["gateway", brokenToolsConfig(dir), "tts", "local-cloud"] });
  });
  afterAll(async () => {
    await mesh?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports the broken service not ok by its failing check, the healthy one ok, the absent ones unreachable", async () => {
    const response = await fetch(`${mesh.url}/health`, { headers: { authorization: `Bearer ${DEMO_KEY}` } });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { ok: boolean; data: { status: string; services: Record<string, Probed> } };
    expect(body.ok).toBe(true);
    expect(body.data.status).toBe("degraded");
    const { tools, tts, chat, search, ingest } = body.data.services;
    expect(tools).toMatchObject({ ok: false, checks: { audit: { ok: false }, kv: { ok: true }, ai: { ok: true } } });
    expect(tts).toMatchObject({ ok: true, checks: { audio: { ok: true }, ai: { ok: true } } });
    for (const absent of [chat, search, ingest]) expect(absent).toMatchObject({ ok: false, error: "unreachable" });
  });
});
