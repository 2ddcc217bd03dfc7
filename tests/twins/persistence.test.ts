// The Vectorize twin keeps its data in a SQLite Durable Object: what was written survives a restart of the twin.
import { rmSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { freshStateDir, startTwin, unique, vectorIndex, type Twin } from "./harness.ts";

const persistTo = freshStateDir();
let twin: Twin | undefined;
afterAll(async () => {
  await twin?.stop();
  rmSync(persistTo, { recursive: true, force: true });
});

it("keeps upserted vectors across a restart with the same state directory", async () => {
  const props = { index: unique("persist"), dimensions: 4, metric: "cosine" as const };
  const namespace = unique("tenant");
  twin = await startTwin(persistTo);
  await vectorIndex(twin, props).upsert([
    { id: "kept-1", values: [1, 0, 0, 0], namespace, metadata: { title: "first" } },
    { id: "kept-2", values: [0, 1, 0, 0], namespace },
  ]);
  await twin.stop();

  twin = await startTwin(persistTo);
  const index = vectorIndex(twin, props);
  expect(await index.getByIds(["kept-1"])).toEqual([{ id: "kept-1", values: [1, 0, 0, 0], namespace, metadata: { title: "first" } }]);
  expect((await index.query([1, 0.1, 0, 0], { namespace, returnMetadata: "all" })).matches[0]).toMatchObject({ id: "kept-1", metadata: { title: "first" } });
  expect((await index.describe()).vectorCount).toBe(2);
}, 120_000);
