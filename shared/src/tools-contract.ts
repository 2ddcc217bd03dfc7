// Tools contracts: the gateway's valibot schemas for tool execution and the audit log, and the tools service's RPC types.
import * as v from "valibot";
import { estimateTokens, type TokenUsage } from "./ai/index.ts";
import type { Scope } from "./tenant.ts";

export const TOOL_LIMITS = {
  maxNameChars: 64,
  auditPageMax: 100,
  auditPageDefault: 20,
  /** Completion allowance the gateway reserves for one tool call that asks a model. */
  completionAllowance: 1024,
} as const;

export const TOOL_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export const ToolNameSchema = v.pipe(
  v.string("tool must be a string"),
  v.regex(TOOL_NAME_PATTERN, "tool must be a tool name: lowercase letters, digits and _, at most 64, starting with a letter"),
);

/** POST /v1/tools/execute. `args` is checked by the tools service against the tool's own schema, after permissions. */
export const ToolExecuteRequestSchema = v.strictObject({
  tool: ToolNameSchema,
  // A custom check: valibot's record accepts arrays (it copies their entries into a new object).
  args: v.optional(v.custom<Record<string, unknown>>((args) => typeof args === "object" && args !== null && !Array.isArray(args), "args must be an object"), {}),
});

export type ToolExecuteRequest = v.InferOutput<typeof ToolExecuteRequestSchema>;

export const AUDIT_OUTCOMES = ["ok", "denied", "invalid", "error", "not_found"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const AuditQuerySchema = v.strictObject({
  cursor: v.optional(v.pipe(v.string(), v.regex(/^\d{1,15}$/, "cursor must be a value of nextCursor"))),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d+$/, "limit must be a positive integer"), v.toNumber(), v.integer(), v.minValue(1), v.maxValue(TOOL_LIMITS.auditPageMax)),
  ),
  tool: v.optional(ToolNameSchema),
  outcome: v.optional(v.picklist(AUDIT_OUTCOMES, `outcome must be one of ${AUDIT_OUTCOMES.join(", ")}`)),
});

export interface AuditQuery {
  cursor?: string;
  limit?: number;
  tool?: string;
  outcome?: AuditOutcome;
}

/** A JSON Schema object, as `@valibot/to-json-schema` produces it. */
export type JsonSchemaObject = Record<string, unknown>;

export interface ToolLimitsInfo {
  /** Most bytes of JSON `args` the tool accepts (413 above). */
  maxInputBytes: number;
  /** Most bytes of JSON `result`; larger results are cut and flagged `truncated`. */
  maxOutputBytes: number;
  timeoutMs: number;
}

export interface ToolInfo {
  name: string;
  description: string;
  /** JSON Schema of `args`. */
  parameters: JsonSchemaObject;
  /** Scopes the API key needs (`*` covers all). */
  scopes: Scope[];
  limits: ToolLimitsInfo;
}

export interface ToolList {
  tools: ToolInfo[];
}

export interface ToolCallInput {
  tool: string;
  args: Record<string, unknown>;
}

export interface ToolExecution {
  tool: string;
  result: unknown;
  latencyMs: number;
  /** The result was larger than the tool's `maxOutputBytes` and was cut down to fit. */
  truncated: boolean;
  /** Model tokens the tool spent (zero for tools that ask no model). */
  usage: TokenUsage;
}

export interface AuditEntry {
  id: string;
  traceId: string;
  keyId: string;
  tool: string;
  /** SHA-256 (hex) of the canonical JSON of the arguments as sent: keys sorted, no whitespace. */
  argsSha256: string;
  outcome: AuditOutcome;
  /** The error code for denied, invalid, error and not_found outcomes. */
  errorCode: string | null;
  /** The public route that caused the call (`/v1/tools/execute`, `/v1/chat`, ...). */
  route: string;
  /** How the call came in: `mcp` for calls through /mcp, `http` for every other route. */
  transport: AuditTransport;
  latencyMs: number;
  createdAt: string;
}

export type AuditTransport = "http" | "mcp";

/** A call of a platform tool (retrieve, search, ingest) the gateway ran for an MCP client, for the audit log. */
export interface PlatformCallRecord {
  tool: string;
  args: unknown;
  /** null when the call succeeded. */
  errorCode: string | null;
  latencyMs: number;
}

/** The transport a call on `route` came in by. */
export const auditTransport = (route: string): AuditTransport => (route === "/mcp" ? "mcp" : "http");

export interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

/** The gateway's token reservation for one tool call: its arguments read by a model plus a completion allowance. */
export function estimateToolTokens(argsChars: number): number {
  return estimateTokens(argsChars) + TOOL_LIMITS.completionAllowance;
}
