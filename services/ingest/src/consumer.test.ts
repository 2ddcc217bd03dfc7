// Unit tests for the queue consumer's failure handling: retries with backoff, and the dead-letter queue ending a job's wait.
import type { RequestContext } from "@platform/shared";
import { describe, expect, it } from "vitest";
import { consume } from "./consumer.ts";
import type { QueueMessage, SubmitDeps } from "./submit.ts";

interface Recorded {
  sql: string;
  params: unknown[];
}

/** A D1 stand-in that records statements; reads fail when `failReads` is set. */
function fakeDb(failReads: boolean) {
  const batches: Recorded[][] = [];
  const statement = (sql: string) => {
    const bound = (params: unknown[]) => ({
      sql,
      params,
      run: async () => ({ success: true }),
      all: async () => {
        if (failReads) throw new Error("D1_ERROR: database is locked");
        return { results: [] };
      },
    });
    return { bind: (...params: unknown[]) => bound(params) };
  };
  const db = { prepare: statement, batch: async (list: Recorded[]) => void batches.push(list.map(({ sql, params }) => ({ sql, params }))) };
  return { db: db as unknown as D1Database, batches };
}

function message(body: QueueMessage, attempts: number) {
  const outcome: { acked?: boolean; retryDelay?: number } = {};
  return {
    outcome,
    message: { id: "m", timestamp: new Date(), body, attempts, ack: () => (outcome.acked = true), retry: (o?: { delaySeconds?: number }) => (outcome.retryDelay = o?.delaySeconds ?? 0) },
  };
}

const ctx = { tenantId: "demo", traceId: "t", keyId: "k", scopes: ["*"], route: "/v1/ingest", tenant: {} } as unknown as RequestContext;
const body: QueueMessage = { kind: "ingest", ctx, jobId: "job_1", seqs: [0, 1, 2] };
const deps = (db: D1Database) => ({ db, index: {}, ai: {}, queue: {} }) as unknown as SubmitDeps;
const batchOf = (queue: string, m: ReturnType<typeof message>["message"]) => ({ queue, messages: [m] }) as unknown as MessageBatch<QueueMessage>;

describe("consume", () => {
  it("retries a failing slice with exponential backoff and notes the failed attempt on its pending documents", async () => {
    const { db, batches } = fakeDb(true);
    const { message: m, outcome } = message(body, 3);
    await consume(deps(db), batchOf("platform-ingest", m));
    expect(outcome).toEqual({ retryDelay: 8 });
    const note = batches[0]!.find((s) => s.sql.includes("UPDATE ingest_job_docs"))!;
    expect(note.params.slice(0, 4)).toEqual(["pending", "attempt 3 failed: internal: D1_ERROR: database is locked", "demo", "job_1"]);
    expect(note.params.slice(4)).toEqual([0, 1, 2]);
  });

  it("marks a dead-lettered slice's documents failed so the job stops waiting", async () => {
    const { db, batches } = fakeDb(false);
    const { message: m, outcome } = message(body, 1);
    await consume(deps(db), batchOf("platform-ingest-dlq", m));
    expect(outcome).toEqual({ acked: true });
    const note = batches[0]!.find((s) => s.sql.includes("UPDATE ingest_job_docs"))!;
    expect(note.params.slice(0, 2)).toEqual(["failed", "gave up after the queue's retries"]);
  });
});
