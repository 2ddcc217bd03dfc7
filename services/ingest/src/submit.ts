// Accepting an ingest: small batches run before the response; large ones are stored in D1 and queued in slices.
import { AppError, INGEST_LIMITS, type DocumentOutcome, type IngestInput, type IngestJob, type RequestContext } from "@platform/shared";
import { convertFiles, type ConvertedInput, type DocumentConverter } from "./convert.ts";
import { createJobStatements, jobView, newJobId, outcomeStatements, type NewJobDoc } from "./jobs.ts";
import { processDocuments, type PipelineDeps, type SubmittedDocument } from "./pipeline.ts";

export interface IngestMessage {
  kind: "ingest";
  ctx: RequestContext;
  jobId: string;
  seqs: number[];
}

export interface PurgeMessage {
  kind: "purge";
  tenantId: string;
  ids: string[];
}

export type QueueMessage = IngestMessage | PurgeMessage;

export interface SubmitDeps extends PipelineDeps {
  queue: Queue<QueueMessage>;
  converter: DocumentConverter;
  /** How old a consumer's claim on documents must be before it counts as a dead one's (sweep.ts). */
  staleMs: number;
}

/**
 * One queue message carries at most this much of a job (documents stay in D1; the message names them): a slice is
 * one claim, embedding calls of 100 texts (4 at a time), an upsert per 1,000 vectors and one commit, so larger slices
 * spread those fixed costs, and the index pages each transaction rewrites, over more documents. A request's 500
 * documents are one slice when their text fits in 1 MiB (bulk ingest locally, interleaved runs: slices of 100, 250
 * and 500 documents took 940, 1,016 and 1,057 documents a second). The byte bound keeps a consumer's memory small:
 * 1 MiB of text is some 1,400 chunks, whose vectors are about 10 MB as number arrays.
 */
const SLICE_DOCUMENTS = 500;
const SLICE_BYTES = 1024 * 1024;
/** Queues' sendBatch takes at most 100 messages and 256 KB; messages carry the tenant's settings. */
const MESSAGES_PER_SEND = 25;
const PURGE_IDS_PER_MESSAGE = 500;

const textBytes = (doc: { text: string }) => new TextEncoder().encode(doc.text).length;

export function isSmall(docs: readonly SubmittedDocument[]): boolean {
  return docs.length <= INGEST_LIMITS.syncMaxDocuments && docs.reduce((sum, d) => sum + textBytes(d), 0) <= INGEST_LIMITS.syncMaxBytes;
}

function rejectedOutcomes(input: ConvertedInput): DocumentOutcome[] {
  return input.rejected.map((r) => {
    const outcome: DocumentOutcome = { index: r.index, status: "rejected", reason: `${r.code}: ${r.reason}` };
    if (r.id !== undefined) outcome.id = r.id;
    return outcome;
  });
}

export async function submit(deps: SubmitDeps, ctx: RequestContext, request: IngestInput): Promise<IngestJob> {
  if (request.documents.length === 0 && request.rejected.length === 0) throw new AppError("invalid_request", "documents must not be empty");
  // Files become text first, so what is sized, queued and stored is the text; an unreadable file is a rejection.
  const input = await convertFiles(deps.converter, request);
  return isSmall(input.documents) ? submitSync(deps, ctx, input) : submitQueued(deps, ctx, input, Math.max(0, Math.round(request.charge ?? 0)));
}

async function submitSync(deps: SubmitDeps, ctx: RequestContext, input: ConvertedInput): Promise<IngestJob> {
  const jobId = newJobId();
  const rejected = rejectedOutcomes(input);
  const started = Date.now();
  const byIndex = (a: DocumentOutcome, b: DocumentOutcome) => a.index - b.index;
  try {
    let tokens = 0;
    let all: DocumentOutcome[] = [];
    const result = await processDocuments(deps, ctx, input.documents, (outcomes, embeddingTokens) => {
      tokens = embeddingTokens;
      all = [...outcomes, ...rejected].sort(byIndex);
      return createJobStatements(deps.db, ctx.tenantId, jobId, "sync", all, embeddingTokens, Date.now());
    });
    await queuePurge(deps.queue, ctx.tenantId, result.purge);
    return jobView(jobId, "sync", all, tokens, started, Date.now(), true);
  } catch (error) {
    const reason = `${AppError.from(error).body.code}: ${AppError.from(error).body.message}`;
    const failed = input.documents.map((d): DocumentOutcome => ({ index: d.index, id: d.id, status: "failed", reason }));
    const all = [...failed, ...rejected].sort(byIndex);
    await deps.db.batch(createJobStatements(deps.db, ctx.tenantId, jobId, "sync", all, 0, Date.now())).catch(() => {});
    return jobView(jobId, "sync", all, 0, started, Date.now(), true);
  }
}

async function submitQueued(deps: SubmitDeps, ctx: RequestContext, input: ConvertedInput, charge: number): Promise<IngestJob> {
  const jobId = newJobId();
  const now = Date.now();
  const pending: NewJobDoc[] = input.documents.map((d) => ({ index: d.index, id: d.id, status: "pending", payload: JSON.stringify(d) }));
  const all: NewJobDoc[] = [...pending, ...rejectedOutcomes(input)].sort((a, b) => a.index - b.index);
  await deps.db.batch(createJobStatements(deps.db, ctx.tenantId, jobId, "queued", all, 0, now, charge));
  try {
    await sendSlices(deps.queue, ctx, jobId, slices(input.documents));
  } catch (error) {
    // The documents stay pending only if a message names them; without one they would wait forever.
    const reason = `upstream_error: could not queue the job: ${error instanceof Error ? error.message : String(error)}`;
    const failed = input.documents.map((d): DocumentOutcome => ({ index: d.index, id: d.id, status: "failed", reason }));
    await deps.db.batch(outcomeStatements(deps.db, ctx.tenantId, jobId, failed, 0, Date.now()));
    throw new AppError("upstream_error", "could not queue the ingest job; nothing was indexed");
  }
  return jobView(jobId, "queued", all.map(({ payload: _payload, ...outcome }) => outcome), 0, now, now, false, charge);
}

async function sendSlices(queue: Queue<QueueMessage>, ctx: RequestContext, jobId: string, groups: number[][]): Promise<void> {
  const messages = groups.map((seqs): MessageSendRequest<QueueMessage> => ({ body: { kind: "ingest", ctx, jobId, seqs } }));
  for (let i = 0; i < messages.length; i += MESSAGES_PER_SEND) await queue.sendBatch(messages.slice(i, i + MESSAGES_PER_SEND));
}

/** Queues a job's documents `seqs` again (the sweep's re-drive), in slices of at most SLICE_DOCUMENTS. */
export function sendIngestSlices(queue: Queue<QueueMessage>, ctx: RequestContext, jobId: string, seqs: readonly number[]): Promise<void> {
  const groups: number[][] = [];
  for (let i = 0; i < seqs.length; i += SLICE_DOCUMENTS) groups.push(seqs.slice(i, i + SLICE_DOCUMENTS));
  return sendSlices(queue, ctx, jobId, groups);
}

/** Groups a job's documents into queue messages by count and size. */
export function slices(docs: readonly SubmittedDocument[]): number[][] {
  const out: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const doc of docs) {
    const size = textBytes(doc);
    if (current.length > 0 && (current.length >= SLICE_DOCUMENTS || bytes + size > SLICE_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(doc.index);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

export async function queuePurge(queue: Queue<QueueMessage>, tenantId: string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += PURGE_IDS_PER_MESSAGE) await queue.send({ kind: "purge", tenantId, ids: ids.slice(i, i + PURGE_IDS_PER_MESSAGE) });
}
