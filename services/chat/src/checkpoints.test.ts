// Unit tests of the streamed-answer checkpoints: when they write, in order, and that a failed write stops nothing.
import { describe, expect, it } from "vitest";
import { CHECKPOINT_CHARS, CHECKPOINT_MS, Checkpoints } from "./checkpoints.ts";

describe("Checkpoints", () => {
  it("writes once enough characters or time have passed, in order, and settles after the last write", async () => {
    const writes: number[] = [];
    let n = 0;
    const checkpoints = new Checkpoints(async () => void writes.push(++n));
    const t0 = Date.now();
    expect(checkpoints.note(10, t0)).toBe(false);
    expect(checkpoints.note(CHECKPOINT_CHARS, t0)).toBe(true);
    expect(checkpoints.note(CHECKPOINT_CHARS + 5, t0 + 10)).toBe(false);
    expect(checkpoints.note(CHECKPOINT_CHARS + 6, t0 + 10 + CHECKPOINT_MS)).toBe(true);
    await checkpoints.settled();
    expect(writes).toEqual([1, 2]);
  });

  it("goes on after a failed write", async () => {
    let calls = 0;
    const checkpoints = new Checkpoints(async () => {
      calls++;
      throw new Error("storage unavailable");
    });
    checkpoints.note(CHECKPOINT_CHARS, Date.now());
    checkpoints.note(2 * CHECKPOINT_CHARS, Date.now());
    await expect(checkpoints.settled()).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
