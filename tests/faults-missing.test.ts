// A mesh without the search service (gateway, chat and the twins only): search's routes and chat with rag answer 503
// service_unavailable naming search, never an internal Worker; chat without rag keeps working; /health says so.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { freePort, startMesh } from "../scripts/mesh.mjs";
import { isRemote, testTenant } from "./helpers.ts";

const KEY = testTenant("test-faults").key;
const BASE = "@cf/meta/llama-3.1-8b-instruct";

describe.skipIf(isRemote)("a mesh without the search service", () => {
  let dir: string;
  let mesh: { url: string; stop: () => Promise<void> };

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${mesh.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as { ok: boolean; data?: Record<string, unknown>; error?: { code: string; message: string } } };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "faults-missing-"));
    mesh = await startMesh({ port: await freePort(), persistTo: join(dir, "state"), timeoutMs: 180_000, services: ["gateway", "chat", "local-cloud"] });
  }, 200_000);
  afterAll(async () => {
    await mesh?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ["/v1/search", { query: "refund policy" }],
    ["/v1/retrieve", { query: "refund policy" }],
    ["/v1/chat", { message: "What is the refund policy?", rag: true, stream: false, model: BASE }],
  ])("answers %s with 503 service_unavailable naming search", async (path, body) => {
    const { status, body: envelope } = await post(path, body);
    expect(status).toBe(503);
    expect(envelope.ok).toBe(false);
    expect(envelope.error).toEqual({ code: "service_unavailable", message: "search is unavailable; try again later" });
  });

  it("answers chat without rag", async () => {
    const { status, body } = await post("/v1/chat", { message: "hello", stream: false, model: BASE });
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ model: BASE });
  });

  it("reports search unreachable on /health, chat ok", async () => {
    const response = await fetch(`${mesh.url}/health`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { data: { services: Record<string, { ok: boolean; error?: string }> } };
    expect(body.data.services.search).toMatchObject({ ok: false, error: "unreachable" });
    expect(body.data.services.chat).toMatchObject({ ok: true });
  });
});
