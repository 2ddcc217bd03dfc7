// Tokens charged for an ingest equal what it embedded: a sync job at once, a queued job its estimate while it runs,
// then settled once to the embedded tokens of its indexed documents (rejected, unchanged and failed ones cost
// nothing), for the tenant, the API key and the end user alike, whether or not a client reads the job. Two tenants of this file's own: one whose embedding
// model fails (the twin's -unavailable fault), so its queued job goes through the retries to the dead-letter queue.
import type { IngestJob } from "@platform/shared";
import { expect, it } from "vitest";
import { job, waitForJob } from "./fixtures/retrieval-client.ts";
import { OPERATOR_KEY } from "./admin-helpers.ts";
import { eventually, postJson, settledUsage, testTenant, twinOnly, uniqueId } from "./helpers.ts";

const { key: KEY } = testTenant("test-ingest-charge");
const { key: DEAD_KEY } = testTenant("test-ingest-charge-dead");
const USER = "charge-user";
const USER_DAY_BUDGET = 20_000;
const KEY_DAY_BUDGET = 30_000;
let budgetedKey = "";

const ingestAs = (documents: unknown[], key: string) => postJson("/v1/ingest", { documents }, key, { "x-user-id": USER }) as Promise<{ status: number; body: { data?: IngestJob } }>;

/**
 * What the end user (through the dev key, which has no budget of its own), or the budgeted key (without an end user)
 * has spent today, as a budget refusal reports it: the probe asks for more than the whole budget.
 */
async function spentBy(level: "user" | "key"): Promise<number> {
  const documents = [{ id: "probe", text: "x".repeat(130_000) }];
  const probe = level === "user" ? await postJson("/v1/ingest", { documents }, KEY, { "x-user-id": USER }) : await postJson("/v1/ingest", { documents }, budgetedKey);
  expect(probe.status).toBe(429);
  expect(probe.body.error).toMatchObject({ code: "budget_exceeded", details: { level, period: "day", limit: level === "user" ? USER_DAY_BUDGET : KEY_DAY_BUDGET } });
  return (probe.body.error!.details as { used: number }).used;
}

/** A runtime key of the tenant with a daily token budget of its own (the operator creates it). */
async function createBudgetedKey(): Promise<string> {
  const created = await postJson(`/v1/admin/tenants/test-ingest-charge/keys`, { name: "budgeted", scopes: ["*"], budgets: { tokensPerDay: KEY_DAY_BUDGET } }, OPERATOR_KEY);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return (created.body.data as { key: string }).key;
}

// 26 documents to index and 4 whose HTML has nothing left after normalising (rejected by the pipeline, not the gateway).
const prefix = uniqueId("charge");
const documents = [
  ...Array.from({ length: 26 }, (_, i) => ({ id: `${prefix}-${i}`, text: `Charged note ${i}: the ferry to island ${i} leaves at ${(i % 12) + 1} o'clock.` })),
  ...Array.from({ length: 4 }, (_, i) => ({ id: `${prefix}-nav-${i}`, contentType: "text/html", text: `<nav><a href="/${i}">Home</a> <a href="/about">About us and our long story</a></nav>` })),
];

twinOnly.describe("tokens charged for an ingest", () => {
  let spent = 0;

  it("charges a sync ingest exactly the tokens it embedded", async () => {
    const sync = await ingestAs([{ id: `${prefix}-sync`, text: "A small synchronous document about harbour cranes and their operators." }], KEY);
    expect(sync.status).toBe(200);
    const { usage } = sync.body.data!;
    expect(usage.embeddingTokens).toBeGreaterThan(0);
    expect(usage.chargedTokens).toBe(usage.embeddingTokens);
    spent = usage.embeddingTokens;
    expect((await settledUsage(KEY)).tokens).toBe(spent);
    expect(await spentBy("user")).toBe(spent);
  });

  it("charges a queued ingest its estimate while it runs, then once exactly what its indexed documents embedded", async () => {
    budgetedKey = await createBudgetedKey();
    const accepted = await ingestAs(documents, budgetedKey);
    expect(accepted.status).toBe(202);
    const estimate = accepted.body.data!.usage.chargedTokens;
    expect(estimate).toBeGreaterThan(0);
    expect(accepted.body.data!.usage.embeddingTokens).toBe(0);
    // Until the job is found ended (by a read, or the alarm's first check JOB_CHECK_MS later: 10 s in the test mesh),
    // the estimate is what is charged; reading usage settles nothing.
    expect((await settledUsage(KEY)).tokens).toBe(spent + estimate);
    expect(await spentBy("user")).toBe(spent + estimate);
    expect(await spentBy("key")).toBe(estimate);

    const done = await waitForJob(accepted.body.data!.jobId, KEY, 60_000);
    expect(done).toMatchObject({ status: "completed_with_errors", counts: { total: 30, indexed: 26, rejected: 4, failed: 0, pending: 0 } });
    expect(done.usage.embeddingTokens).toBeGreaterThan(0);
    expect(done.usage.chargedTokens).toBe(done.usage.embeddingTokens);
    spent += done.usage.embeddingTokens;
    expect((await settledUsage(KEY)).tokens).toBe(spent);
    expect(await spentBy("user")).toBe(spent);
    expect(await spentBy("key")).toBe(done.usage.embeddingTokens);

    // Reading it again settles nothing more.
    const again = await job(done.jobId, KEY);
    expect(again.body.data!.usage).toEqual(done.usage);
    expect((await settledUsage(KEY)).tokens).toBe(spent);
  }, 90_000);

  it("charges nothing for a queued re-ingest of unchanged documents, however many reads settle it at once", async () => {
    const accepted = await ingestAs(documents, KEY);
    expect(accepted.status).toBe(202);
    const jobId = accepted.body.data!.jobId;
    // Five concurrent reads per poll: the first poll that finds the job ended settles it five times at once.
    const reads = await eventually(
      async () => {
        const all = await Promise.all(Array.from({ length: 5 }, () => job(jobId, KEY)));
        const data = all.map((r) => r.body.data!);
        if (data.some((d) => d.counts.pending > 0)) throw new Error("still running");
        return data;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    for (const data of reads) {
      expect(data.counts).toMatchObject({ unchanged: 26, rejected: 4, pending: 0 });
      expect(data.usage).toEqual({ embeddingTokens: 0, chargedTokens: 0 });
    }
    expect((await settledUsage(KEY)).tokens).toBe(spent);
    expect(await spentBy("user")).toBe(spent);
  }, 90_000);

  it("settles a queued ingest nobody reads (the usage object's alarm checks the job)", async () => {
    const unread = uniqueId("unread");
    const docs = documents.map((d) => ({ ...d, id: d.id.replace(prefix, unread) }));
    const accepted = await ingestAs(docs, KEY);
    expect(accepted.status).toBe(202);
    const estimate = accepted.body.data!.usage.chargedTokens;
    // Without any read of the job, what is charged moves from the estimate (the 4 empty documents count in it).
    const charged = await eventually(
      async () => {
        const tokens = (await settledUsage(KEY)).tokens;
        if (tokens === spent + estimate) throw new Error("still charged the estimate");
        return tokens;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const done = await job(accepted.body.data!.jobId, KEY);
    expect(done.body.data!.counts).toMatchObject({ indexed: 26, rejected: 4, pending: 0 });
    const { embeddingTokens } = done.body.data!.usage;
    expect(done.body.data!.usage.chargedTokens).toBe(embeddingTokens);
    expect(charged).toBe(spent + embeddingTokens);
    spent = charged;
    expect(await spentBy("user")).toBe(spent);
  }, 90_000);

  it("charges nothing for a queued ingest whose documents all failed (dead-letter path)", async () => {
    const docs = Array.from({ length: 30 }, (_, i) => ({ id: `${prefix}-dead-${i}`, text: `Never embedded note ${i} about the lighthouse keeper.` }));
    const accepted = await postJson("/v1/ingest", { documents: docs }, DEAD_KEY);
    expect(accepted.status).toBe(202);
    const estimate = (accepted.body.data as IngestJob).usage.chargedTokens;
    expect(estimate).toBeGreaterThan(0);
    expect((await settledUsage(DEAD_KEY)).tokens).toBe(estimate);

    // 1 + 3 tries with 2, 4 and 8 s between them, then the dead-letter consumer fails the documents.
    const done = await waitForJob((accepted.body.data as IngestJob).jobId, DEAD_KEY, 120_000);
    expect(done).toMatchObject({ status: "failed", counts: { total: 30, failed: 30, indexed: 0, pending: 0 } });
    for (const doc of done.documents) expect(doc.reason).toMatch(/gave up after the queue's retries/);
    expect(done.usage).toEqual({ embeddingTokens: 0, chargedTokens: 0 });
    expect((await settledUsage(DEAD_KEY)).tokens).toBe(0);
  }, 150_000);
});
