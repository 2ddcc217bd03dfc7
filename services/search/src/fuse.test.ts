// Unit tests for hybrid fusion: weighted combination of scores normalised by each side's best score, a full side's
// last score standing in for what it left out.
import { describe, expect, it } from "vitest";
import { fuseScores, fusionKeywordWeight, KEYWORD_WEIGHT as PRODUCTION_KEYWORD_WEIGHT, LOCAL_TWIN_KEYWORD_WEIGHT as KEYWORD_WEIGHT, type ScoredList } from "./fuse.ts";

const list = (name: ScoredList["name"], weight: number, hits: [string, number][]): ScoredList => ({ name, weight, hits: hits.map(([id, score]) => ({ id, score })) });

describe("fuseScores", () => {
  it("sums weight x score / best score of each list, with each side's rank", () => {
    const fused = fuseScores([
      list("semantic", 0.3, [["a", 0.8], ["b", 0.4], ["c", 0.2]]),
      list("keyword", 0.7, [["c", 12], ["d", 3]]),
    ]);
    const c = fused.find((f) => f.id === "c")!;
    expect(c.score).toBeCloseTo(0.3 * (0.2 / 0.8) + 0.7 * 1, 12);
    expect(c.ranks).toEqual({ semantic: 3, keyword: 1 });
    expect(fused.map((f) => f.id)).toEqual(["c", "a", "d", "b"]);
    expect(fused.find((f) => f.id === "d")!.score).toBeCloseTo(0.7 * (3 / 12), 12);
  });

  it("is scale-free: multiplying one side's scores changes nothing", () => {
    const semantic: [string, number][] = [["s1", 0.5], ["both", 0.45], ["s2", 0.1]];
    const keyword: [string, number][] = [["k1", 9], ["both", 8], ["k2", 1]];
    const once = fuseScores([list("semantic", 0.3, semantic), list("keyword", 0.7, keyword)]);
    const scaled = fuseScores([list("semantic", 0.3, semantic), list("keyword", 0.7, keyword.map(([id, s]) => [id, s * 40]))]);
    expect(scaled.map((f) => f.id)).toEqual(once.map((f) => f.id));
    expect(once[0]!.id).toBe("both");
  });

  it("ranks the semantic side's best hit above keyword hits far below the keyword side's best", () => {
    // A misspelt name: BM25 matches only the other words, weakly; the 4-gram vectors still find the document.
    const fused = fuseScores([list("semantic", 1 - KEYWORD_WEIGHT, [["typo-match", 0.6]]), list("keyword", KEYWORD_WEIGHT, [["generic", 5], ["weak", 1]])]);
    expect(fused.map((f) => f.id)).toEqual(["generic", "typo-match", "weak"]);
  });

  it("keeps a single list's order, breaks ties by best rank then first appearance", () => {
    expect(fuseScores([list("keyword", 1, [["a", 3], ["b", 2], ["c", 2]])]).map((f) => f.id)).toEqual(["a", "b", "c"]);
    const tied = fuseScores([list("semantic", 0.5, [["a", 1], ["b", 0.5]]), list("keyword", 0.5, [["c", 2], ["d", 1]])]);
    expect(tied.map((f) => f.id)).toEqual(["a", "c", "b", "d"]);
  });

  it("scores what a full list left out at its last hit's score, and what a shorter list left out at 0", () => {
    const semantic = (limit: number) => ({ ...list("semantic", 0.4, [["a", 0.8], ["b", 0.6]]), limit });
    const keyword = { ...list("keyword", 0.6, [["k", 10], ["a", 5], ["c", 4]]), limit: 3 };
    const full = fuseScores([semantic(2), keyword]);
    // k and c are past the semantic side's two hits: at most 0.6 there. b is past the keyword side's three: at most 4.
    const expected = { a: 0.4 * 1 + 0.6 * 0.5, k: 0.4 * 0.75 + 0.6 * 1, b: 0.4 * 0.75 + 0.6 * 0.4, c: 0.4 * 0.75 + 0.6 * 0.4 };
    for (const f of full) expect(f.score).toBeCloseTo(expected[f.id as keyof typeof expected], 12);
    expect(full.map((f) => f.id)).toEqual(["k", "a", "b", "c"]);
    expect(full.find((f) => f.id === "k")!.ranks).toEqual({ keyword: 1 });
    // Asked for 5, the semantic side found 2: nothing else matched there.
    const short = fuseScores([semantic(5), keyword]);
    expect(short.find((f) => f.id === "k")!.score).toBeCloseTo(0.6, 12);
    expect(short.map((f) => f.id)).toEqual(["a", "k", "b", "c"]);
  });

  it("scores negative or all-zero similarities as 0 but still ranks them", () => {
    const fused = fuseScores([list("semantic", 1, [["a", 0], ["b", -0.1]])]);
    expect(fused).toEqual([
      { id: "a", score: 0, ranks: { semantic: 1 } },
      { id: "b", score: 0, ranks: { semantic: 2 } },
    ]);
  });

  it("counts an id once per list and handles empty lists", () => {
    expect(fuseScores([list("semantic", 1, [["a", 0.5], ["a", 0.4]])])).toEqual([{ id: "a", score: 1, ranks: { semantic: 1 } }]);
    expect(fuseScores([list("semantic", 0.3, []), list("keyword", 0.7, [])])).toEqual([]);
  });

  it("defaults the keyword share by environment: the lexical twin locally, a real embedding model elsewhere", () => {
    expect(fusionKeywordWeight("development")).toBe(0.55);
    expect(fusionKeywordWeight("production")).toBe(PRODUCTION_KEYWORD_WEIGHT);
    expect(fusionKeywordWeight("staging")).toBe(0.4);
    expect(fusionKeywordWeight(undefined)).toBe(0.4);
  });
});
