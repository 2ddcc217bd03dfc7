// Sliding-window decisions: per-minute and 10-second burst limits, remaining counts and reset times.
import { describe, expect, it } from "vitest";
import { decide, prune } from "./sliding-window.ts";

const limits = { perMinute: 60, burst: 20 };

function admitMany(count: number, at: (i: number) => number) {
  let times: number[] = [];
  let admitted = 0;
  for (let i = 0; i < count; i++) {
    const now = at(i);
    times = prune(times, now);
    const decision = decide(times, now, limits);
    if (decision.allowed) {
      admitted++;
      times.push(now);
    }
  }
  return { admitted, times };
}

describe("sliding window", () => {
  it("admits exactly the burst when requests arrive at once", () => {
    expect(admitMany(300, () => 1_000_000).admitted).toBe(20);
  });

  it("admits exactly the per-minute limit when requests are spread over a minute", () => {
    // One request every 0.2 s for 60 s: the burst window allows 20 per 10 s, the minute caps at 60.
    expect(admitMany(300, (i) => 1_000_000 + i * 200).admitted).toBe(60);
  });

  it("frees slots as admissions leave the window", () => {
    const { times } = admitMany(20, () => 0);
    expect(decide(times, 9_999, limits).allowed).toBe(false);
    expect(decide(prune(times, 10_001), 10_001, limits).allowed).toBe(true);
  });

  it("reports remaining and a reset in whole seconds", () => {
    const { times } = admitMany(19, () => 0);
    expect(decide(times, 500, limits)).toMatchObject({ allowed: true, remaining: 0, limit: 60 });
    const full = [...times, 500];
    const denied = decide(full, 1_000, limits);
    expect(denied.allowed).toBe(false);
    expect(denied.resetSeconds).toBe(9);
  });
});
