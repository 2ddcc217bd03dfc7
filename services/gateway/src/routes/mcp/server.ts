// The tenant's MCP server for one request: tools (the platform's and the registry's this key may use) and the
// tenant's documents as resources. Every call goes through the gateway's route handlers, so it is checked, budgeted
// and audited exactly as over HTTP.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { CallToolRequestSchema, ListResourcesRequestSchema, ListToolsRequestSchema, ReadResourceRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { AppError, notFound, type DocumentPage, type DocumentSummary, type ToolExecution, type ToolList } from "@platform/shared";
import { requestContext } from "../../auth.ts";
import { caller, needs } from "../../guards.ts";
import type { GatewayRequest } from "../../request.ts";
import { listDocuments } from "../ingest.ts";
import { executeTool, listTools } from "../tools.ts";
import { errorResult, innerRequest, MCP_ROUTE, okResult, runRoute, type ToolResult } from "./calls.ts";
import { mayUse, PLATFORM_TOOLS, type PlatformTool } from "./platform-tools.ts";

/** The MCP server's own version (serverInfo), raised when its tools or resources change shape. */
const SERVER_VERSION = "1.0.0";
const RESOURCE_PREFIX = "document:///";
// resources/read finds a document by paging the list; a tenant with more documents than this reads metadata via HTTP.
const READ_PAGES = 10;

export function mcpServer(request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext): Server {
  const who = caller(request);
  const server = new Server({ name: `platform-${who.tenant.id}`, version: SERVER_VERSION }, { capabilities: { tools: {}, resources: {} } });
  const run = <T>(handler: Parameters<typeof runRoute>[0], input: Parameters<typeof innerRequest>[1]) => runRoute<T>(handler, innerRequest(request, input), env, ctx);

  server.setRequestHandler(ListToolsRequestSchema, async () => {
    const own = PLATFORM_TOOLS.filter((t) => mayUse(who, t.scope)).map(({ name, description, inputSchema }) => ({ name, description, inputSchema }));
    const registry = mayUse(who, "tools") ? (await run<ToolList>(listTools, {})).tools : [];
    return { tools: [...own, ...registry.map((t) => ({ name: t.name, description: t.description, inputSchema: { ...t.parameters, type: "object" as const } }))] };
  });

  server.setRequestHandler(CallToolRequestSchema, async ({ params }): Promise<ToolResult> => {
    const args = params.arguments ?? {};
    try {
      const platform = PLATFORM_TOOLS.find((t) => t.name === params.name);
      if (platform) return await callPlatformTool(platform, args);
      needs("tools")(innerRequest(request, {}));
      const out = await run<ToolExecution>(executeTool, { body: { tool: params.name, args } });
      return okResult(out.result);
    } catch (error) {
      return errorResult(error);
    }
  });

  // Audited like a registry tool: the outcome, the arguments' hash and the transport.
  async function callPlatformTool(tool: PlatformTool, args: Record<string, unknown>): Promise<ToolResult> {
    const started = Date.now();
    let errorCode: string | null = null;
    try {
      needs(tool.scope)(innerRequest(request, {}));
      return okResult(await run(tool.handler, { body: args }));
    } catch (error) {
      errorCode = AppError.from(error).body.code;
      throw error;
    } finally {
      const rctx = requestContext(who, request.traceId, MCP_ROUTE);
      await env.TOOLS.recordCall(rctx, { tool: tool.name, args, errorCode, latencyMs: Date.now() - started });
    }
  }

  server.setRequestHandler(ListResourcesRequestSchema, async ({ params }) => {
    needs("ingest")(innerRequest(request, {}));
    const query: Record<string, string> = params?.cursor ? { cursor: params.cursor } : {};
    const page = await run<DocumentPage>(listDocuments, { query });
    const resources = page.documents.map((d) => ({ uri: `${RESOURCE_PREFIX}${encodeURIComponent(d.id)}`, name: d.id, title: d.title ?? d.id, mimeType: "application/json" }));
    return page.nextCursor ? { resources, nextCursor: page.nextCursor } : { resources };
  });

  server.setRequestHandler(ReadResourceRequestSchema, async ({ params }) => {
    needs("ingest")(innerRequest(request, {}));
    if (!params.uri.startsWith(RESOURCE_PREFIX)) throw new AppError("invalid_request", `resource URIs start with ${RESOURCE_PREFIX}`);
    const id = decodeURIComponent(params.uri.slice(RESOURCE_PREFIX.length));
    const doc = await findDocument(id, (cursor) => run<DocumentPage>(listDocuments, { query: cursor ? { cursor } : {} }));
    // No API returns a document's text yet: the resource is its metadata.
    return { contents: [{ uri: params.uri, mimeType: "application/json", text: JSON.stringify(doc) }] };
  });

  return server;
}

async function findDocument(id: string, page: (cursor?: string) => Promise<DocumentPage>): Promise<DocumentSummary> {
  let cursor: string | undefined;
  for (let i = 0; i < READ_PAGES; i++) {
    const current = await page(cursor);
    const doc = current.documents.find((d) => d.id === id);
    if (doc) return doc;
    if (!current.nextCursor) break;
    cursor = current.nextCursor;
  }
  throw notFound("document");
}
