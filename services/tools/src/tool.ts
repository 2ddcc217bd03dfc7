// The tool contract: what one tool module declares (name, description, input schema, scopes, limits) and what its
// handler receives. Handlers get dependencies already bound to the caller's tenant, so they cannot reach another's.
import type * as v from "valibot";
import type { ChatCallResult, ChatParams, IngestInput, IngestJob, RequestContext, RetrieveInput, RetrieveResult, Scope } from "@platform/shared";

export interface ToolLimits {
  /** Most bytes of JSON arguments; more is refused (413) before the schema is checked. */
  maxInputBytes: number;
  /** Most bytes of JSON result; a larger result is cut down and flagged `truncated`. */
  maxOutputBytes: number;
  /** The call fails with upstream_error when the handler takes longer. */
  timeoutMs: number;
}

export const DEFAULT_LIMITS: ToolLimits = { maxInputBytes: 32 * 1024, maxOutputBytes: 16 * 1024, timeoutMs: 15_000 };

/** The search service as tools see it: bound to the caller's context. */
export interface BoundSearch {
  retrieve(input: RetrieveInput): Promise<RetrieveResult>;
}

/** The ingest service as tools see it: bound to the caller's context. */
export interface BoundIngest {
  ingest(input: IngestInput): Promise<IngestJob>;
}

/** The calling tenant's configuration values (TENANT_KV `${tenantId}:config:<name>`), and no one else's. */
export interface ConfigReader {
  get(name: string): Promise<string | null>;
}

export interface ToolDeps {
  /** Asks the tenant's chat model through the one AI path (shared/src/ai/call.ts); its usage is counted for the call. */
  chat(params: ChatParams): Promise<ChatCallResult>;
  search: BoundSearch;
  ingest: BoundIngest;
  config: ConfigReader;
  /** Counts tokens spent by another service on the tool's behalf (a search's or an ingest's embeddings). */
  addUsage(tokens: number): void;
}

export interface ToolDefinition<TSchema extends v.GenericSchema = v.GenericSchema> {
  /** Lowercase letters, digits and _: what models and clients call it. */
  name: string;
  /** What it does, for models choosing a tool and for people reading GET /v1/tools. */
  description: string;
  /** The arguments; exported as JSON Schema for models and clients. */
  input: TSchema;
  /** Scopes the API key needs besides being allowed by the tenant (`tools` at least). */
  scopes: Scope[];
  limits: ToolLimits;
  // A method (not a function property) so tools with specific schemas fit in one registry array.
  handler(ctx: Readonly<RequestContext>, args: v.InferOutput<TSchema>, deps: ToolDeps): Promise<unknown>;
}

export type AnyTool = ToolDefinition<v.GenericSchema>;

/** Declares a tool with the default limits filled in. */
export function defineTool<TSchema extends v.GenericSchema>(
  tool: Omit<ToolDefinition<TSchema>, "limits"> & { limits?: Partial<ToolLimits> },
): ToolDefinition<TSchema> {
  return { ...tool, limits: { ...DEFAULT_LIMITS, ...tool.limits } };
}
