// GET /health with a key: every service's package version and a probe of each binding it owns; and expected errors
// (an ordinary 404 from a service) crossing RPC without an "Uncaught" line in the mesh's output.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { call, DEMO_KEY, isRemote, uniqueId } from "./helpers.ts";

const ROOT = join(import.meta.dirname, "..");
const packageVersion = (service: string): string => (JSON.parse(readFileSync(join(ROOT, "services", service, "package.json"), "utf8")) as { version: string }).version;

interface Health {
  status: string;
  services: Record<string, { ok: boolean; version: string; checks: Record<string, { ok: boolean; latencyMs: number }> }>;
}

// The bindings each service owns, by the name its probe reports.
const CHECKS: Record<string, string[]> = {
  chat: ["ai", "cache", "sessions"],
  search: ["ai", "cache", "documents", "vectors"],
  ingest: ["ai", "documents", "queue", "vectors"],
  tools: ["ai", "audit", "kv"],
  tts: ["ai", "audio"],
};

describe("GET /health with a key", () => {
  it("reports each service's package.json version and every binding check ok", async () => {
    const res = await call<Health>("/health", { key: DEMO_KEY });
    expect(res.status).toBe(200);
    expect(res.body.data!.status).toBe("ok");
    const services = res.body.data!.services;
    expect(Object.keys(services).sort()).toEqual(Object.keys(CHECKS).sort());
    for (const [service, checks] of Object.entries(CHECKS)) {
      const health = services[service]!;
      expect(health.version, service).toBe(packageVersion(service));
      expect(health.ok, service).toBe(true);
      expect(Object.keys(health.checks).sort(), service).toEqual(checks);
      for (const [name, check] of Object.entries(health.checks)) expect(check.ok, `${service}.${name}`).toBe(true);
    }
  });
});

// The mesh's output is only readable when the suite started the mesh itself.
describe.skipIf(isRemote)("expected errors over RPC", () => {
  it("answers a service's 404 without logging it as uncaught", async () => {
    const traceId = `rpc-404-${crypto.randomUUID()}`;
    const res = await call(`/v1/documents/${uniqueId("missing")}`, { method: "DELETE", key: DEMO_KEY, headers: { "x-trace-id": traceId } });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "not_found", message: "document not found" });

    // A later call through the same service: once its line is in the log, the 404's output is too.
    const after = `${traceId}-after`;
    await call("/health?service=ingest", { key: DEMO_KEY, headers: { "x-trace-id": after } });
    const log = await logUntil((text) => text.includes(`"traceId":"${after}"`) && text.includes(`"traceId":"${traceId}"`));
    expect(log).toMatch(new RegExp(`"kind":"rpc","traceId":"${traceId}","tenantId":"demo","service":"ingest","route":"deleteDocument","status":"error","errorCode":"not_found"`));
    expect(log).not.toMatch(/Uncaught AppError: AppError:\{"code":"(?!internal)/);
  });
});

async function logUntil(done: (log: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = readFileSync(inject("meshLogPath"), "utf8");
    if (done(log) || Date.now() > deadline) return log;
    await new Promise((r) => setTimeout(r, 100));
  }
}
