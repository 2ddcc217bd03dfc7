// Unit tests for reciprocal rank fusion.
import { describe, expect, it } from "vitest";
import { reciprocalRankFusion, RRF_K } from "./fuse.ts";

describe("reciprocalRankFusion", () => {
  it("scores each item 1/(k + rank) per list and sums across lists", () => {
    const fused = reciprocalRankFusion([
      { name: "semantic", ids: ["a", "b", "c"] },
      { name: "keyword", ids: ["c", "d"] },
    ]);
    const c = fused.find((f) => f.id === "c")!;
    expect(c.score).toBeCloseTo(1 / (RRF_K + 3) + 1 / (RRF_K + 1), 12);
    expect(c.ranks).toEqual({ semantic: 3, keyword: 1 });
    expect(fused[0]!.id).toBe("c");
  });

  it("puts an item both sides found above items only one side ranked first", () => {
    const fused = reciprocalRankFusion([
      { name: "semantic", ids: ["s1", "both"] },
      { name: "keyword", ids: ["k1", "both"] },
    ]);
    expect(fused.map((f) => f.id)).toEqual(["both", "s1", "k1"]);
  });

  it("breaks ties by best single rank, then by first appearance", () => {
    const fused = reciprocalRankFusion([
      { name: "semantic", ids: ["a", "b"] },
      { name: "keyword", ids: ["c", "d"] },
    ]);
    expect(fused.map((f) => f.id)).toEqual(["a", "c", "b", "d"]);
  });

  it("counts an id once per list and handles empty lists", () => {
    expect(reciprocalRankFusion([{ name: "semantic", ids: ["a", "a"] }])).toEqual([{ id: "a", score: 1 / (RRF_K + 1), ranks: { semantic: 1 } }]);
    expect(reciprocalRankFusion([{ name: "semantic", ids: [] }, { name: "keyword", ids: [] }])).toEqual([]);
  });
});
