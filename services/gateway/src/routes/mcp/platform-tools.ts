// The platform's own MCP tools (retrieve, search, ingest): JSON Schemas from the same valibot schemas as the HTTP
// routes, the feature and scope each needs, and the route handler each call runs.
import { toJsonSchema } from "@valibot/to-json-schema";
import { hasScope, IngestRequestSchema, RetrieveRequestSchema, SearchRequestSchema, type Scope, type ServiceName } from "@platform/shared";
import type * as v from "valibot";
import type { Caller } from "../../auth.ts";
import { ingest } from "../ingest.ts";
import { retrieve, search } from "../search.ts";
import type { RouteHandler } from "./calls.ts";

export interface PlatformTool {
  name: string;
  description: string;
  inputSchema: { type: "object"; [key: string]: unknown };
  scope: Scope & ServiceName;
  handler: RouteHandler;
}

function schemaOf(schema: v.GenericSchema): PlatformTool["inputSchema"] {
  const { $schema: _draft, ...rest } = toJsonSchema(schema, { errorMode: "ignore", typeMode: "input" }) as Record<string, unknown>;
  return { ...rest, type: "object" };
}

export const PLATFORM_TOOLS: readonly PlatformTool[] = [
  {
    name: "retrieve",
    description: "Ranked passages of this tenant's documents for a query (as POST /v1/retrieve).",
    inputSchema: schemaOf(RetrieveRequestSchema),
    scope: "search",
    handler: retrieve,
  },
  {
    name: "search",
    description: "A cited answer from this tenant's documents, with its sources (as POST /v1/search).",
    inputSchema: schemaOf(SearchRequestSchema),
    scope: "search",
    handler: search,
  },
  {
    name: "ingest",
    description: "Adds or replaces documents in this tenant's index (as POST /v1/ingest with a JSON body).",
    inputSchema: schemaOf(IngestRequestSchema),
    scope: "ingest",
    handler: ingest,
  },
];

/** Whether the caller may use a platform tool: the tenant's feature flag and the key's scope, as `needs` checks. */
export function mayUse(caller: Caller, scope: Scope & ServiceName): boolean {
  return caller.tenant.features[scope] && hasScope(caller, scope);
}
