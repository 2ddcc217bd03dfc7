// Unit tests of the Vectorize twin's scan: closeness per metric (sparse and dense queries) and top-K selection.
import { describe, expect, it } from "vitest";
import { closeness, packColumns, reportedScore, topRows } from "./metric.ts";

const pack = (rows: number[][], unit = false) => packColumns(rows.map((r) => Float32Array.from(r)), rows[0]!.length, unit);

describe("closeness", () => {
  const rows = [
    [1.1, 0.1, 0, 0],
    [1, 1, 0, 0],
    [-1, 0, 0.2, 0],
    [0, 0, 0, 0],
  ];

  it("packs vectors by dimension", () => {
    expect(Array.from(pack([[1, 2], [3, 4], [5, 6]]))).toEqual([1, 3, 5, 2, 4, 6]);
  });

  it("scores cosine as a dot product of unit vectors, zero vectors as 0", () => {
    const out = new Float64Array(4);
    closeness("cosine", Float32Array.from([2, 0, 0, 0]), pack(rows, true), out);
    expect(out[0]).toBeCloseTo(1.1 / Math.sqrt(1.22), 6);
    expect(out[1]).toBeCloseTo(1 / Math.sqrt(2), 6);
    expect(out[2]).toBeCloseTo(-1 / Math.sqrt(1.04), 6);
    expect(out[3]).toBe(0);
  });

  it("gives sparse and dense queries (any number of non-zero dimensions) the plain cosine", () => {
    const vectors = Array.from({ length: 50 }, (_, r) => Array.from({ length: 64 }, (_, i) => Math.sin(r * 7 + i)));
    const matrix = pack(vectors, true);
    const sparse = (n: number) => Float32Array.from({ length: 64 }, (_, i) => (i % 13 === 3 && i / 13 < n ? Math.cos(i) : 0));
    for (const query of [sparse(1), sparse(3), sparse(5), Float32Array.from({ length: 64 }, (_, i) => Math.cos(i))]) {
      const out = new Float64Array(50);
      closeness("cosine", query, matrix, out);
      vectors.forEach((v, r) => {
        const dot = v.reduce((sum, x, i) => sum + x * query[i]!, 0);
        expect(out[r]).toBeCloseTo(dot / (Math.hypot(...v) * Math.hypot(...query)), 6);
      });
    }
  });

  it("reports euclidean distances and negative dot products", () => {
    const out = new Float64Array(2);
    closeness("euclidean", Float32Array.from([1, 0]), pack([[1, 0], [4, 4]]), out);
    expect([reportedScore("euclidean", out[0]!), reportedScore("euclidean", out[1]!)]).toEqual([0, 5]);
    closeness("dot-product", Float32Array.from([1, 2]), pack([[5, 4], [-1, 0]]), out);
    expect([reportedScore("dot-product", out[0]!), reportedScore("dot-product", out[1]!)]).toEqual([-13, 1]);
  });
});

describe("topRows", () => {
  it("returns the k best rows, best first, ties in row order", () => {
    expect(topRows(Float64Array.from([0.1, 0.9, 0.5, 0.9, 0.3]), 3)).toEqual([1, 3, 2]);
    expect(topRows(Float64Array.from([0.2, 0.2, 0.2]), 2)).toEqual([0, 1]);
    expect(topRows(Float64Array.from([0.2]), 5)).toEqual([0]);
    expect(topRows(Float64Array.from([0.2]), 0)).toEqual([]);
  });

  it("matches a full sort on many rows and applies the keep filter", () => {
    const values = Float64Array.from({ length: 2000 }, (_, i) => Math.round(Math.sin(i * 12.9898) * 1000) / 1000);
    const sorted = [...values.keys()].sort((a, b) => values[b]! - values[a]! || a - b);
    expect(topRows(values, 100)).toEqual(sorted.slice(0, 100));
    const even = (row: number) => row % 2 === 0;
    expect(topRows(values, 10, even)).toEqual(sorted.filter(even).slice(0, 10));
  });
});
