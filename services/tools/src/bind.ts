// Builds a tool handler's dependencies for one call: the AI path, search, ingest and the config reader, each bound
// to the caller's context, with every token spent counted on the call's meter.
import { runChat, type AiRunner, type IngestInput, type IngestJob, type RequestContext, type RetrieveInput, type RetrieveResult } from "@platform/shared";
import type { ExecutorDeps, UsageMeter } from "./executor.ts";
import { tenantConfigReader, type KvReader } from "./tenant-config.ts";
import type { AnyTool, ToolDeps } from "./tool.ts";

/** SearchService over RPC, as far as tools use it (shared/src/search-contract.ts). */
export interface SearchRpc {
  retrieve(ctx: RequestContext, input: RetrieveInput): Promise<RetrieveResult>;
}

/** IngestService over RPC, as far as tools use it (shared/src/ingest-contract.ts). */
export interface IngestRpc {
  ingest(ctx: RequestContext, input: IngestInput): Promise<IngestJob>;
}

export interface Ports {
  ai: AiRunner;
  search: SearchRpc;
  ingest: IngestRpc;
  kv: KvReader;
}

export function binder(ports: Ports): ExecutorDeps["bind"] {
  return (ctx: Readonly<RequestContext>, tool: AnyTool, meter: UsageMeter): ToolDeps => ({
    async chat(params) {
      const result = await runChat({ ai: ports.ai, ctx, service: "tools", timeoutMs: tool.limits.timeoutMs, metadata: { tool: tool.name } }, params);
      meter.add(result.usage);
      return result;
    },
    search: { retrieve: (input) => ports.search.retrieve(ctx, input) },
    ingest: { ingest: (input) => ports.ingest.ingest(ctx, input) },
    config: tenantConfigReader(ports.kv, ctx.tenantId),
    addUsage: (tokens) => meter.addTokens(tokens),
  });
}
