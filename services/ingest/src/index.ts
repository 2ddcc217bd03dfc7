// Ingest service entry: document ingestion over RPC, and the consumer of its queue.
import { WorkerEntrypoint } from "cloudflare:workers";
import { rpcCall, type RequestContext, type ServiceHealth } from "@platform/shared";

export class IngestService extends WorkerEntrypoint<IngestEnv> {
  async health(ctx: RequestContext): Promise<ServiceHealth> {
    return rpcCall("ingest", "health", ctx, async () => ({ service: "ingest", ok: true, version: "0.1.0" }));
  }
}

export default IngestService;
