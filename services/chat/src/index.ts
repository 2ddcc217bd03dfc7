// Chat service entry: RPC methods the gateway calls over its CHAT binding.
import { WorkerEntrypoint } from "cloudflare:workers";
import { rpcCall, type RequestContext, type ServiceHealth } from "@platform/shared";
export { ChatSession } from "./session.ts";

export class ChatService extends WorkerEntrypoint<ChatEnv> {
  async health(ctx: RequestContext): Promise<ServiceHealth> {
    return rpcCall("chat", "health", ctx, async () => ({ service: "chat", ok: true, version: "0.1.0" }));
  }
}

export default ChatService;
