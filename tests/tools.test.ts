// Tools through the gateway: listing with JSON Schemas per key, execution, and the 400 / 403 / 404 answers.
// This file's own tenant has demo's configuration; acme is used where its allow-list is the point.
import { describe, expect, it } from "vitest";
import { ACME_KEY, call, postJson, testTenant, twinOnly } from "./helpers.ts";

const KEY = testTenant("test-tools").key;

interface ToolInfo {
  name: string;
  description: string;
  parameters: { type: string; properties: Record<string, unknown>; required: string[] };
  scopes: string[];
}

interface Execution {
  tool: string;
  result: Record<string, unknown>;
  latencyMs: number;
  truncated: boolean;
  usage: { total_tokens: number };
}

const listTools = (key: string) => call<{ tools: ToolInfo[] }>("/v1/tools", { key });
const execute = (tool: string, args: unknown, key = KEY, path = "/v1/tools/execute") => postJson(path, { tool, args }, key) as Promise<Awaited<ReturnType<typeof call<Execution>>>>;

describe("GET /v1/tools", () => {
  it("lists at least 8 tools for a key of a tenant allowing all tools, each with a JSON Schema object", async () => {
    const res = await listTools(KEY);
    expect(res.status).toBe(200);
    const tools = res.body.data!.tools;
    expect(tools.length).toBeGreaterThanOrEqual(8);
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["summarize", "extract_entities", "classify_intent", "tag_document", "chunk_document", "ingest_document", "search_documents", "kv_get"]));
    for (const tool of tools) {
      expect(tool.description).toEqual(expect.any(String));
      expect(tool.parameters).toMatchObject({ type: "object", properties: expect.any(Object), required: expect.any(Array) });
    }
  });

  it("lists fewer tools for acme, whose allow-list lacks ingest_document, and refuses that tool with 403 before checking its arguments", async () => {
    const [demo, acme] = await Promise.all([listTools(KEY), listTools(ACME_KEY)]);
    const acmeNames = acme.body.data!.tools.map((t) => t.name);
    expect(acmeNames.length).toBeLessThan(demo.body.data!.tools.length);
    expect(acmeNames).not.toContain("ingest_document");
    expect(acmeNames).toContain("summarize");

    const denied = await execute("ingest_document", { id: 42 }, ACME_KEY);
    expect(denied.status).toBe(403);
    expect(denied.body.error).toMatchObject({ code: "forbidden", message: expect.stringContaining("ingest_document") });
  });

  it("needs an API key", async () => {
    expect((await call("/v1/tools")).status).toBe(401);
  });
});

describe("POST /v1/tools/execute", () => {
  it("runs summarize and answers { tool, result, latencyMs }", async () => {
    const res = await execute("summarize", { text: "Cloudflare Workers run JavaScript at the edge, close to users, with no servers to manage." });
    expect(res.status).toBe(200);
    const data = res.body.data!;
    expect(data).toMatchObject({ tool: "summarize", truncated: false, result: { summary: expect.any(String), model: expect.any(String) } });
    expect((data.result.summary as string).length).toBeGreaterThan(0);
    expect(data.latencyMs).toEqual(expect.any(Number));
    expect(data.usage.total_tokens).toBeGreaterThan(0);
  });

  it("answers 400 with valibot's field issues for wrong argument types", async () => {
    const res = await execute("summarize", { text: 42, maxSentences: "three" });
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe("invalid_request");
    expect((res.body.error?.details as { nested: Record<string, string[]> }).nested).toMatchObject({ text: [expect.any(String)], maxSentences: [expect.any(String)] });
  });

  it("answers 404 for an unknown tool", async () => {
    const res = await execute("make_coffee", {});
    expect(res.status).toBe(404);
    expect(res.body.error?.code).toBe("not_found");
  });

  it("answers 400 for a body that is not { tool, args }", async () => {
    expect((await postJson("/v1/tools/execute", { args: {} }, KEY)).status).toBe(400);
    expect((await postJson("/v1/tools/execute", { tool: "summarize", args: "text" }, KEY)).status).toBe(400);
    expect((await postJson("/v1/tools/execute", { tool: "../etc", args: {} }, KEY)).status).toBe(400);
  });

  it("answers on the /tools/execute alias too", async () => {
    const res = await execute("tag_document", { text: "Edge caching and edge compute: caching at the edge." }, KEY, "/tools/execute");
    expect(res.status).toBe(200);
    expect(res.body.data!.result).toMatchObject({ tags: expect.arrayContaining(["edge"]) });
  });

  twinOnly.it("runs the rule-based and model-backed text tools", async () => {
    const text = "Jane Doe at Acme Corp wrote to jane@acme.example on 2026-03-14: my export keeps failing with an error.";
    const [entities, intent, chunks] = await Promise.all([
      execute("extract_entities", { text }),
      execute("classify_intent", { text }),
      execute("chunk_document", { text: `# Title\n\n${"A sentence about chunking. ".repeat(60)}`, contentType: "text/markdown", chunkSize: 300 }),
    ]);
    expect(entities.body.data!.result).toMatchObject({ entities: expect.arrayContaining([{ type: "email", text: "jane@acme.example", count: 1 }]) });
    expect(intent.body.data!.result).toMatchObject({ label: "troubleshooting" });
    const chunked = chunks.body.data!.result as { count: number; chunks: { chars: number; heading: string }[] };
    expect(chunked.count).toBeGreaterThan(1);
    expect(chunked.chunks.every((c) => c.chars <= 300 && c.heading === "Title")).toBe(true);
  });

  it("reads only the caller's own configuration with kv_get", async () => {
    const missing = await execute("kv_get", { name: "support_email" });
    expect(missing.status).toBe(200);
    expect(missing.body.data!.result).toEqual({ name: "support_email", found: false, value: null });
    for (const name of ["acme:config:support_email", "../acme/support_email"]) {
      const res = await execute("kv_get", { name });
      expect(res.status).toBe(400);
    }
  });

  it("ingests through ingest_document and finds the document with search_documents", async () => {
    const id = `tooldoc-${crypto.randomUUID().slice(0, 8)}`;
    const word = `quokkaport${crypto.randomUUID().slice(0, 6)}`;
    const ingested = await execute("ingest_document", { id, title: "Tool ingest", text: `The ${word} ferry leaves the harbour every morning at seven.` });
    expect(ingested.status).toBe(200);
    expect(ingested.body.data!.result).toMatchObject({ jobId: expect.stringMatching(/^job_/), documents: [{ id, status: "indexed" }] });
    const found = await execute("search_documents", { query: `${word} ferry`, topK: 3 });
    expect(found.status).toBe(200);
    const results = (found.body.data!.result as { results: { docId: string; n: number }[] }).results;
    expect(results[0]).toMatchObject({ n: 1, docId: id });
  });
});
