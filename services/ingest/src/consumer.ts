// The queue consumer: runs queued slices of ingest jobs and vector purges, retrying with backoff; messages that
// reach the dead-letter queue mark their documents failed so no job waits forever.
import { AppError, log } from "@platform/shared";
import { claimPayloads, markStarted, notePendingFailure, outcomeStatements } from "./jobs.ts";
import { processDocuments, purgeVectors, type SubmittedDocument } from "./pipeline.ts";
import { failDocuments } from "./sweep.ts";
import { queuePurge, type IngestMessage, type QueueMessage, type SubmitDeps } from "./submit.ts";

const MAX_RETRY_DELAY_S = 60;

export async function consume(deps: SubmitDeps, batch: MessageBatch<QueueMessage>): Promise<void> {
  const deadLetters = /-dlq(-|$)/.test(batch.queue);
  // Messages run side by side: each claims its own documents (jobs.ts), so they never do the same work, and one
  // slice's waits on AI, Vectorize and D1 overlap another's.
  await Promise.all(batch.messages.map((message) => consumeOne(deps, message, deadLetters)));
}

async function consumeOne(deps: SubmitDeps, message: Message<QueueMessage>, deadLetters: boolean): Promise<void> {
  const body = message.body;
  const started = Date.now();
  const traceId = body.kind === "ingest" ? body.ctx.traceId : "queue";
  const tenantId = body.kind === "ingest" ? body.ctx.tenantId : body.tenantId;
  try {
    if (deadLetters) await giveUp(deps, body);
    else if (body.kind === "ingest") await runSlice(deps, body);
    else await purgeVectors(deps, body.tenantId, body.ids);
    message.ack();
    log({ kind: "rpc", traceId, tenantId, service: "ingest", route: `queue.${deadLetters ? "dead-letter" : body.kind}`, status: "ok", latencyMs: Date.now() - started });
  } catch (error) {
    const appError = AppError.from(error);
    const reason = appError.body.code === "internal" ? `internal: ${error instanceof Error ? error.message : String(error)}` : `${appError.body.code}: ${appError.body.message}`;
    if (body.kind === "ingest" && !deadLetters) {
      await notePendingFailure(deps.db, tenantId, body.jobId, body.seqs, `attempt ${message.attempts} failed: ${reason}`, "pending", Date.now()).catch(() => {});
    }
    log({ kind: "rpc", traceId, tenantId, service: "ingest", route: `queue.${body.kind}`, status: "error", errorCode: appError.body.code, latencyMs: Date.now() - started });
    message.retry({ delaySeconds: Math.min(MAX_RETRY_DELAY_S, 2 ** message.attempts) });
  }
}

async function runSlice(deps: SubmitDeps, message: IngestMessage): Promise<void> {
  const { ctx, jobId, seqs } = message;
  await markStarted(deps.db, ctx.tenantId, jobId, Date.now());
  const now = Date.now();
  // Only documents no live consumer holds: a duplicate or re-driven message (sweep.ts) finds nothing to redo.
  const payloads = await claimPayloads(deps.db, ctx.tenantId, jobId, seqs, now, now - deps.staleMs);
  if (payloads.length === 0) return;
  const docs = payloads.map(({ seq, payload }): SubmittedDocument => ({ ...(JSON.parse(payload) as SubmittedDocument), index: seq }));
  const result = await processDocuments(deps, ctx, docs, (outcomes, tokens) => outcomeStatements(deps.db, ctx.tenantId, jobId, outcomes, tokens, Date.now()));
  await queuePurge(deps.queue, ctx.tenantId, result.purge);
}

async function giveUp(deps: SubmitDeps, body: QueueMessage): Promise<void> {
  if (body.kind === "ingest") {
    await failDocuments(deps, body.ctx, body.jobId, body.seqs, "gave up after the queue's retries", Date.now());
  } else {
    // The ids stay orphaned in Vectorize; search never shows them (they have no rows). Logged for an operator.
    console.error(JSON.stringify({ service: "ingest", event: "purge_dead_letter", tenantId: body.tenantId, ids: body.ids.length }));
  }
}
