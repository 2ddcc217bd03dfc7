// TTS service entry: speech synthesis over RPC through the tenant's provider adapter.
import { WorkerEntrypoint } from "cloudflare:workers";
import { rpcCall, type RequestContext, type ServiceHealth } from "@platform/shared";

export class TtsService extends WorkerEntrypoint<TtsEnv> {
  async health(ctx: RequestContext): Promise<ServiceHealth> {
    return rpcCall("tts", "health", ctx, async () => ({ service: "tts", ok: true, version: "0.1.0" }));
  }
}

export default TtsService;
