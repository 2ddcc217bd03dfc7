// Search service entry: retrieval and cited answers over RPC for the gateway, chat and tools.
import { WorkerEntrypoint } from "cloudflare:workers";
import { rpcCall, type RequestContext, type ServiceHealth } from "@platform/shared";

export class SearchService extends WorkerEntrypoint<SearchEnv> {
  async health(ctx: RequestContext): Promise<ServiceHealth> {
    return rpcCall("search", "health", ctx, async () => ({ service: "search", ok: true, version: "0.1.0" }));
  }
}

export default SearchService;
