// Tools service entry: tool listing and execution over RPC, audited.
import { WorkerEntrypoint } from "cloudflare:workers";
import { rpcCall, type RequestContext, type ServiceHealth } from "@platform/shared";

export class ToolsService extends WorkerEntrypoint<ToolsEnv> {
  async health(ctx: RequestContext): Promise<ServiceHealth> {
    return rpcCall("tools", "health", ctx, async () => ({ service: "tools", ok: true, version: "0.1.0" }));
  }
}

export default ToolsService;
