// POST/GET/DELETE /mcp: MCP over Streamable HTTP, stateless (a new server and transport per request, JSON answers),
// after the same authentication and rate limit as every route.
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { GatewayRequest } from "../../request.ts";
import { mcpServer } from "./server.ts";

export async function mcp(request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext): Promise<Response> {
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  const server = mcpServer(request, env, ctx);
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    ctx.waitUntil(server.close());
  }
}
