// Ingest service entry: document ingestion, jobs and documents over RPC, and the consumer of its queue.
import { WorkerEntrypoint } from "cloudflare:workers";
import {
  notFound,
  rpcCall,
  type AiRunner,
  type DeleteResult,
  type DocumentPage,
  type DocumentsQuery,
  type IngestInput,
  type IngestJob,
  type RequestContext,
  type ServiceHealth,
} from "@platform/shared";
import { consume } from "./consumer.ts";
import { deleteDocument, documentsPage } from "./documents.ts";
import { readJob } from "./jobs.ts";
import { submit, type QueueMessage, type SubmitDeps } from "./submit.ts";

export class IngestService extends WorkerEntrypoint<IngestEnv> {
  async health(ctx: RequestContext): Promise<ServiceHealth> {
    return rpcCall("ingest", "health", ctx, async () => ({ service: "ingest", ok: true, version: "0.2.0" }));
  }

  /** Indexes small batches before answering; queues large ones. Either way the answer is the job. */
  async ingest(ctx: RequestContext, input: IngestInput): Promise<IngestJob> {
    return rpcCall("ingest", "ingest", ctx, () => submit(deps(this.env), ctx, input));
  }

  async job(ctx: RequestContext, jobId: string): Promise<IngestJob> {
    return rpcCall("ingest", "job", ctx, async () => (await readJob(this.env.DB, ctx.tenantId, jobId)) ?? Promise.reject(notFound("ingest job")));
  }

  async listDocuments(ctx: RequestContext, query: DocumentsQuery): Promise<DocumentPage> {
    return rpcCall("ingest", "listDocuments", ctx, () => documentsPage(this.env.DB, ctx.tenantId, query));
  }

  async deleteDocument(ctx: RequestContext, docId: string): Promise<DeleteResult> {
    return rpcCall("ingest", "deleteDocument", ctx, () => deleteDocument(deps(this.env), ctx.tenantId, docId));
  }

  override async queue(batch: MessageBatch<QueueMessage>): Promise<void> {
    await consume(deps(this.env), batch);
  }
}

function deps(env: IngestEnv): SubmitDeps {
  return { db: env.DB, index: env.VECTORIZE as unknown as Vectorize, ai: env.AI as Ai as AiRunner, queue: env.INGEST_QUEUE as Queue<QueueMessage> };
}

export default IngestService;
