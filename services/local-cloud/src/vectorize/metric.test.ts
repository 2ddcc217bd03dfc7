// Unit tests of the Vectorize twin's scan: closeness per metric (sparse and dense queries) and top-K selection.
import { describe, expect, it } from "vitest";
import { closeness, normalizeRows, reportedScore, topRows } from "./metric.ts";

const packed = (rows: number[][]) => Float32Array.from(rows.flat());

describe("closeness", () => {
  const rows = [
    [1.1, 0.1, 0, 0],
    [1, 1, 0, 0],
    [-1, 0, 0.2, 0],
    [0, 0, 0, 0],
  ];

  it("scores cosine as a dot product of unit rows, zero rows as 0", () => {
    const matrix = packed(rows);
    normalizeRows(matrix, 4);
    const out = new Float64Array(4);
    closeness("cosine", Float32Array.from([2, 0, 0, 0]), matrix, out);
    expect(out[0]).toBeCloseTo(1.1 / Math.sqrt(1.22), 6);
    expect(out[1]).toBeCloseTo(1 / Math.sqrt(2), 6);
    expect(out[2]).toBeCloseTo(-1 / Math.sqrt(1.04), 6);
    expect(out[3]).toBe(0);
  });

  it("gives the same scores for sparse and dense queries", () => {
    const matrix = packed(Array.from({ length: 50 }, (_, r) => Array.from({ length: 64 }, (_, i) => Math.sin(r * 7 + i))));
    normalizeRows(matrix, 64);
    const sparse = new Float32Array(64);
    sparse[3] = 0.5;
    sparse[40] = -0.25;
    const dense = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i));
    for (const query of [sparse, dense]) {
      const out = new Float64Array(50);
      closeness("cosine", query, matrix, out);
      const norm = Math.hypot(...query);
      for (let r = 0; r < 50; r++) {
        let dot = 0;
        for (let i = 0; i < 64; i++) dot += query[i]! * matrix[r * 64 + i]!;
        expect(out[r]).toBeCloseTo(dot / norm, 6);
      }
    }
  });

  it("reports euclidean distances and negative dot products", () => {
    const out = new Float64Array(2);
    closeness("euclidean", Float32Array.from([1, 0]), packed([[1, 0], [4, 4]]), out);
    expect([reportedScore("euclidean", out[0]!), reportedScore("euclidean", out[1]!)]).toEqual([0, 5]);
    closeness("dot-product", Float32Array.from([1, 2]), packed([[5, 4], [-1, 0]]), out);
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
