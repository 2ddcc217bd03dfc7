// Ingest service entry: document ingestion, jobs and documents over RPC, and the consumer of its queue.
import {
  notFound,
  probes,
  type DeleteResult,
  type DocumentPage,
  type DocumentsQuery,
  type IngestInput,
  type IngestJob,
  type RequestContext,
  meteredAi,
} from "@platform/shared";
import { serviceEntrypoint } from "@platform/shared/service";
import { version } from "../package.json";
import { consume } from "./consumer.ts";
import { deleteDocument, documentsPage } from "./documents.ts";
import { TABLES } from "./documents-db/index.ts";
import { readJob, recordCharge } from "./jobs.ts";
import { submit, type QueueMessage, type SubmitDeps } from "./submit.ts";
import { staleMsFrom, sweepJob } from "./sweep.ts";
import { waitForJob } from "./wait.ts";

export class IngestService extends serviceEntrypoint<IngestEnv>({
  name: "ingest",
  version,
  probes: (env) => ({
    documents: probes.d1(env.DB, TABLES),
    vectors: probes.vectorize(env.VECTORIZE as unknown as Vectorize),
    queue: probes.binding(env.INGEST_QUEUE, "send"),
    ai: probes.ai(env.AI as unknown as Ai),
  }),
}) {
  /** Indexes small batches before answering; queues large ones. Either way the answer is the job. */
  async ingest(ctx: RequestContext, input: IngestInput): Promise<IngestJob> {
    return submit(deps(this.env), ctx, input);
  }

  /** The job; with `waitMs`, once it has ended or that long has passed (the long-poll, wait.ts). */
  async job(ctx: RequestContext, jobId: string, waitMs = 0): Promise<IngestJob> {
    const d = deps(this.env);
    // Reading a job is what recovers it after a crash (sweep.ts); a failed sweep must not hide the job.
    await sweepJob(d, ctx, jobId, d.staleMs).catch((error: unknown) => {
      console.error(JSON.stringify({ service: "ingest", event: "sweep_failed", traceId: ctx.traceId, error: String(error).slice(0, 200) }));
    });
    if (waitMs > 0) await waitForJob(d, ctx, jobId, waitMs);
    const job = await readJob(this.env.DB, ctx.tenantId, jobId);
    if (!job) throw notFound("ingest job");
    return job;
  }

  /** Records what a queued job was settled to (the gateway's usage Durable Object settled it once, first). */
  async recordCharge(ctx: RequestContext, jobId: string, tokens: number): Promise<void> {
    await recordCharge(this.env.DB, ctx.tenantId, jobId, tokens);
  }

  async listDocuments(ctx: RequestContext, query: DocumentsQuery): Promise<DocumentPage> {
    return documentsPage(this.env.DB, ctx.tenantId, query);
  }

  async deleteDocument(ctx: RequestContext, docId: string): Promise<DeleteResult> {
    return deleteDocument(deps(this.env), ctx.tenantId, docId);
  }

  override async queue(batch: MessageBatch<QueueMessage>): Promise<void> {
    await consume(deps(this.env), batch);
  }
}

function deps(env: IngestEnv): SubmitDeps {
  return { db: env.DB, index: env.VECTORIZE as unknown as Vectorize, ai: meteredAi(env), queue: env.INGEST_QUEUE as Queue<QueueMessage>, converter: env.AI as Ai, staleMs: staleMsFrom(env.INGEST_STALE_MS) };
}

export default IngestService;
