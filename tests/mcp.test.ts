// MCP over Streamable HTTP on /mcp, end to end with the SDK's own client: tools per key, the same 403 and budget
// errors as HTTP, search and a registry tool audited with transport mcp, documents as resources.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, describe, expect, it } from "vitest";
import { call, gatewayUrl, postJson, testTenant, uniqueId } from "./helpers.ts";

const FULL = testTenant("test-mcp");
const LIMITED = testTenant("test-mcp-limited");
const TINY = testTenant("test-mcp-tiny");

interface ToolError {
  error: { code: string; message: string; status: number };
}

interface AuditEntry {
  tool: string;
  outcome: string;
  route: string;
  transport: string;
  keyId: string;
}

const clients: Client[] = [];

async function connect(key: string): Promise<Client> {
  const client = new Client({ name: "platform-tests", version: "0.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", gatewayUrl()), { requestInit: { headers: { authorization: `Bearer ${key}` } } });
  await client.connect(transport);
  clients.push(client);
  return client;
}

const textOf = (result: Awaited<ReturnType<Client["callTool"]>>) => (result.content as { type: string; text: string }[])[0]!.text;

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

describe("MCP tools", () => {
  it("lists the platform tools and the registry tools the key may use, with JSON Schemas; the limited tenant lists fewer", async () => {
    const [full, limited] = await Promise.all([connect(FULL.key), connect(LIMITED.key)]);
    const fullTools = (await full.listTools()).tools;
    const limitedTools = (await limited.listTools()).tools;
    const fullNames = fullTools.map((t) => t.name);
    expect(fullNames).toEqual(expect.arrayContaining(["retrieve", "search", "ingest", "summarize", "ingest_document", "search_documents", "kv_get"]));
    expect(limitedTools.length).toBeLessThan(fullTools.length);
    expect(limitedTools.map((t) => t.name)).not.toContain("ingest_document");
    const search = fullTools.find((t) => t.name === "search")!;
    expect(search.inputSchema).toMatchObject({ type: "object", properties: { query: expect.any(Object) }, required: ["query"] });
    const summarize = fullTools.find((t) => t.name === "summarize")!;
    expect(summarize.inputSchema).toMatchObject({ type: "object", properties: { text: expect.any(Object) } });
  });

  it("refuses ingest_document to the limited tenant with the same forbidden error as POST /v1/tools/execute", async () => {
    const client = await connect(LIMITED.key);
    const result = await client.callTool({ name: "ingest_document", arguments: { id: "x", text: "y" } });
    expect(result.isError).toBe(true);
    const http = await postJson("/v1/tools/execute", { tool: "ingest_document", args: { id: "x", text: "y" } }, LIMITED.key);
    expect(http.status).toBe(403);
    expect(result.structuredContent).toEqual({ error: { ...http.body.error, status: 403 } });
    expect(textOf(result)).toMatch(/^forbidden: /);
  });

  it("answers a call over the tenant's token budget with the budget error", async () => {
    const client = await connect(TINY.key);
    const result = await client.callTool({ name: "search", arguments: { query: "anything at all about budgets" } });
    expect(result.isError).toBe(true);
    expect((result.structuredContent as unknown as ToolError).error).toMatchObject({ code: "budget_exceeded", status: 429 });
  });

  it("ingests, searches with a cited answer and runs a registry tool; the audit log shows each with transport mcp", async () => {
    const client = await connect(FULL.key);
    const docId = uniqueId("mcp-doc");
    const ingested = await client.callTool({ name: "ingest", arguments: { documents: [{ id: docId, title: "Otters", text: "Sea otters hold hands while they sleep so they do not drift apart." }] } });
    expect(ingested.isError).toBeFalsy();
    expect(JSON.parse(textOf(ingested))).toMatchObject({ mode: "sync" });

    const searched = await client.callTool({ name: "search", arguments: { query: "why do sea otters hold hands", cache: false } });
    expect(searched.isError).toBeFalsy();
    const answer = JSON.parse(textOf(searched)) as { answer: string; sources: { docId: string }[] };
    expect(answer.sources.map((s) => s.docId)).toContain(docId);

    const summarized = await client.callTool({ name: "summarize", arguments: { text: "Workers run JavaScript at the edge, close to users, with no servers to manage." } });
    expect(summarized.isError).toBeFalsy();

    const audit = await call<{ entries: AuditEntry[] }>("/v1/audit?limit=20", { key: FULL.key });
    const entries = audit.body.data!.entries;
    for (const tool of ["ingest", "search", "summarize"]) {
      expect(entries).toContainEqual(expect.objectContaining({ tool, outcome: "ok", route: "/mcp", transport: "mcp", keyId: FULL.keyId }));
    }
  });

  it("still audits HTTP calls with transport http", async () => {
    await postJson("/v1/tools/execute", { tool: "tag_document", args: { text: "over http" } }, FULL.key);
    const entries = (await call<{ entries: AuditEntry[] }>("/v1/audit?limit=5&tool=tag_document", { key: FULL.key })).body.data!.entries;
    expect(entries[0]).toMatchObject({ route: "/v1/tools/execute", transport: "http" });
  });
});

describe("MCP resources and auth", () => {
  it("lists the tenant's documents as resources and reads one's metadata", async () => {
    const client = await connect(FULL.key);
    const docId = uniqueId("mcp-res");
    await client.callTool({ name: "ingest", arguments: { documents: [{ id: docId, title: "Resource doc", text: "A document listed as an MCP resource." }] } });
    const { resources } = await client.listResources();
    const listed = resources.find((r) => r.name === docId);
    expect(listed).toMatchObject({ uri: `document:///${docId}`, title: "Resource doc", mimeType: "application/json" });
    const read = await client.readResource({ uri: listed!.uri });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({ id: docId, title: "Resource doc", chunks: 1 });
  });

  it("refuses a request without a valid key with 401, before any MCP message", async () => {
    const res = await fetch(new URL("/mcp", gatewayUrl()), { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream" }, body: "{}" });
    expect(res.status).toBe(401);
  });
});
