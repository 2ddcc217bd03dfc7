// The MCP tools' calls: each runs the gateway's own route handler (same validation, scopes, token budget, audit) on a
// request built for it, and turns its envelope or its AppError into an MCP tool result.
import { AppError } from "@platform/shared";
import type { GatewayRequest } from "../../request.ts";

export type RouteHandler = (request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext) => Promise<Response>;

/** The route every MCP call is recorded under (logs, AI Gateway metadata, the tools audit's transport). */
export const MCP_ROUTE = "/mcp";

export interface ToolResult {
  [key: string]: unknown;
  content: { type: "text"; text: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** A request for `handler` carrying the MCP request's caller and trace id, with `body` as JSON or `query` as search. */
export function innerRequest(outer: GatewayRequest, input: { body?: unknown; query?: Record<string, string> }): GatewayRequest {
  const url = new URL(MCP_ROUTE, outer.url);
  const query = input.query ?? {};
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const init: RequestInit = input.body === undefined ? { method: "GET" } : { method: "POST", body: JSON.stringify(input.body), headers: { "content-type": "application/json" } };
  const request = new Request(url, init) as GatewayRequest;
  return Object.assign(request, { traceId: outer.traceId, started: outer.started, caller: outer.caller, route: MCP_ROUTE, query, params: {} });
}

/** Runs the handler and returns its envelope's data; an AppError thrown by it (or by the services) is rethrown. */
export async function runRoute<T>(handler: RouteHandler, request: GatewayRequest, env: GatewayEnv, ctx: ExecutionContext): Promise<T> {
  const response = await handler(request, env, ctx);
  const envelope = (await response.json()) as { ok: boolean; data?: T };
  if (!envelope.ok) throw new AppError("internal", "the route answered an error envelope");
  return envelope.data as T;
}

export function okResult(data: unknown): ToolResult {
  return { content: [{ type: "text", text: JSON.stringify(data) }] };
}

/** An error as an MCP tool error: the platform's code, message and HTTP status, in text and structured content. */
export function errorResult(error: unknown): ToolResult {
  const appError = AppError.from(error);
  const body = { error: { ...appError.body, status: appError.status } };
  return { isError: true, content: [{ type: "text", text: `${appError.body.code}: ${appError.body.message}` }], structuredContent: body };
}
