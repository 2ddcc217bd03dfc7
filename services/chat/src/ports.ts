// The services chat calls over RPC, as far as chat uses them (contracts in shared/src/search-contract.ts and
// tools-contract.ts). Plain interfaces, so the turn logic is testable in Node with fakes.
import type { RequestContext, RetrieveInput, RetrieveResult, ToolCallInput, ToolExecution, ToolList } from "@platform/shared";

export interface SearchRpc {
  retrieve(ctx: RequestContext, input: RetrieveInput): Promise<RetrieveResult>;
}

export interface ToolsRpc {
  list(ctx: RequestContext): Promise<ToolList>;
  execute(ctx: RequestContext, call: ToolCallInput): Promise<ToolExecution>;
}
