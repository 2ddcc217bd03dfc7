// Conformance of the Vectorize twin (LocalVectorize over RPC) to the Vectorize V2 binding: limits, namespaces,
// filters, metrics and write semantics. Each test writes to its own index or namespace.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwin, unique, vectorIndex, type Twin, type VectorInput } from "./harness.ts";

let twin: Twin;
beforeAll(async () => {
  twin = await startTwin();
});
afterAll(async () => {
  await twin?.stop();
});

const small = (metric: "cosine" | "euclidean" | "dot-product" = "cosine") => vectorIndex(twin, { index: unique("vi"), dimensions: 3, metric });
const rejects = (promise: Promise<unknown>, pattern: RegExp) => expect(promise).rejects.toThrow(pattern);

describe("Vectorize twin limits", () => {
  it("rejects vectors and queries whose dimension differs from the index", async () => {
    const index = small();
    await rejects(index.upsert([{ id: "a", values: [1, 2] }]), /VECTOR_UPSERT_ERROR: .*2 dimensions, but the index expects 3/);
    await rejects(index.query([1, 2, 3, 4]), /query vector has 4 dimensions/);
    await rejects(index.upsert([{ id: "nan", values: [1, Number.NaN, 0] }]), /not a finite number/);
  });

  it("rejects ids that are empty or longer than 64 bytes of UTF-8", async () => {
    const index = small();
    await rejects(index.upsert([{ id: "", values: [1, 0, 0] }]), /non-empty/);
    await rejects(index.insert([{ id: "é".repeat(33), values: [1, 0, 0] }]), /66 bytes, over the limit of 64 bytes/);
    await expect(index.upsert([{ id: "x".repeat(64), values: [1, 0, 0] }])).resolves.toHaveProperty("mutationId");
  });

  it("rejects metadata over 10 KiB and namespaces over 64 bytes", async () => {
    const index = small();
    await rejects(index.upsert([{ id: "m", values: [1, 0, 0], metadata: { text: "x".repeat(10 * 1024) } }]), /metadata is \d+ bytes, over the limit of 10240 bytes/);
    await rejects(index.upsert([{ id: "n", values: [1, 0, 0], namespace: "n".repeat(65) }]), /namespace is 65 bytes, over the limit of 64/);
    await rejects(index.upsert([{ id: "k", values: [1, 0, 0], metadata: { "a.b": 1 } }]), /metadata key "a.b" is invalid/);
  });

  it("rejects topK over 100, and over 50 with values or all metadata", async () => {
    const index = small();
    await rejects(index.query([1, 0, 0], { topK: 101 }), /topK 101 exceeds the limit of 100/);
    await rejects(index.query([1, 0, 0], { topK: 51, returnValues: true }), /topK 51 exceeds the limit of 50/);
    await rejects(index.query([1, 0, 0], { topK: 51, returnMetadata: "all" }), /limit of 50/);
    await expect(index.query([1, 0, 0], { topK: 100, returnMetadata: "indexed" })).resolves.toEqual({ count: 0, matches: [] });
  });

  it("rejects more than 1000 vectors in one write", async () => {
    const index = small();
    const vectors = Array.from({ length: 1001 }, (_, i) => ({ id: `v${i}`, values: [1, 0, i] }));
    await rejects(index.upsert(vectors), /1001 exceeds the limit of 1000 vectors/);
    await expect(index.upsert(vectors.slice(0, 1000))).resolves.toHaveProperty("mutationId");
  });

  it("rejects unknown filter operators, invalid keys and filters of 2 KiB", async () => {
    const index = small();
    await rejects(index.query([1, 0, 0], { filter: { year: { $regex: "x" } } }), /unsupported filter operator "\$regex"/);
    await rejects(index.query([1, 0, 0], { filter: { $year: 1 } }), /invalid filter key/);
    await rejects(index.query([1, 0, 0], { filter: { ["k".repeat(513)]: 1 } }), /exceed 512 characters/);
    await rejects(index.query([1, 0, 0], { filter: { tag: { $in: Array.from({ length: 300 }, (_, i) => `tag-${i}`) } } }), /must be under 2048 bytes/);
  });
});

describe("Vectorize twin namespaces", () => {
  it("never returns vectors from another namespace or the default one", async () => {
    const index = small();
    const [a, b] = [unique("tenant-a"), unique("tenant-b")];
    await index.upsert([
      { id: "a1", values: [1, 0, 0], namespace: a },
      { id: "b1", values: [1, 0, 0], namespace: b },
      { id: "d1", values: [1, 0, 0] },
    ]);
    expect((await index.query([1, 0, 0], { namespace: a, topK: 10 })).matches.map((m) => m.id)).toEqual(["a1"]);
    expect((await index.query([1, 0, 0], { namespace: b, topK: 10 })).matches.map((m) => [m.id, m.namespace])).toEqual([["b1", b]]);
    expect((await index.query([1, 0, 0], { topK: 10 })).matches.map((m) => m.id)).toEqual(["d1"]);
    expect((await index.query([1, 0, 0], { namespace: unique("nobody") })).matches).toEqual([]);
  });

  it("moves an id to the namespace of its latest upsert, since ids are unique per index", async () => {
    const index = small();
    const [a, b] = [unique("ns-a"), unique("ns-b")];
    await index.upsert([{ id: "same", values: [1, 0, 0], namespace: a }]);
    await index.upsert([{ id: "same", values: [0, 1, 0], namespace: b }]);
    expect((await index.query([1, 0, 0], { namespace: a })).count).toBe(0);
    expect((await index.query([0, 1, 0], { namespace: b })).matches[0]).toMatchObject({ id: "same", namespace: b });
    expect((await index.describe()).vectorCount).toBe(1);
  });
});

describe("Vectorize twin metadata filters", () => {
  const books: VectorInput[] = [
    { id: "b1", values: [1, 0, 0], metadata: { genre: "sf", year: 1965, title: "Dune", info: { lang: "en" }, tags: ["classic"] } },
    { id: "b2", values: [0.9, 0.1, 0], metadata: { genre: "fantasy", year: 1954, title: "LOTR", info: { lang: "en" } } },
    { id: "b3", values: [0.8, 0.2, 0], metadata: { genre: "sf", year: 2011, title: "Leviathan Wakes", info: { lang: "fr" } } },
    { id: "b4", values: [0.7, 0.3, 0], metadata: { genre: "poetry", year: 1857, title: "Les Fleurs du mal" } },
  ];
  const booksIndex = async () => {
    const index = small();
    await index.upsert(books);
    return async (filter: Record<string, unknown>) => (await index.query([1, 0, 0], { topK: 10, filter })).matches.map((m) => m.id).sort();
  };

  it("filters with $eq, $ne, $in, $nin and the { key: value } shorthand", async () => {
    const ids = await booksIndex();
    expect(await ids({ genre: "sf" })).toEqual(["b1", "b3"]);
    expect(await ids({ genre: { $eq: "fantasy" } })).toEqual(["b2"]);
    expect(await ids({ genre: { $ne: "sf" } })).toEqual(["b2", "b4"]);
    expect(await ids({ genre: { $in: ["fantasy", "poetry"] } })).toEqual(["b2", "b4"]);
    expect(await ids({ genre: { $nin: ["sf", "poetry"] } })).toEqual(["b2"]);
    expect(await ids({ tags: "classic" })).toEqual(["b1"]);
  });

  it("filters with $lt, $lte, $gt, $gte, dotted nested keys and an implicit AND", async () => {
    const ids = await booksIndex();
    expect(await ids({ year: { $lt: 1954 } })).toEqual(["b4"]);
    expect(await ids({ year: { $lte: 1954 } })).toEqual(["b2", "b4"]);
    expect(await ids({ year: { $gt: 1965 } })).toEqual(["b3"]);
    expect(await ids({ year: { $gte: 1965, $lt: 2000 } })).toEqual(["b1"]);
    expect(await ids({ title: { $gte: "L", $lt: "M" } })).toEqual(["b2", "b3", "b4"]);
    expect(await ids({ "info.lang": "en" })).toEqual(["b1", "b2"]);
    expect(await ids({ genre: "sf", "info.lang": "fr" })).toEqual(["b3"]);
  });
});

describe("Vectorize twin metrics and reads", () => {
  const points: VectorInput[] = [
    { id: "near", values: [1.1, 0.1, 0] },
    { id: "mid", values: [1, 1, 0] },
    { id: "far", values: [-1, 0, 0.2] },
    { id: "long", values: [5, 4, 0] },
  ];

  it("orders cosine matches by similarity, highest first", async () => {
    const index = small("cosine");
    await index.upsert(points);
    const { matches } = await index.query([1, 0, 0], { topK: 4 });
    expect(matches.map((m) => m.id)).toEqual(["near", "long", "mid", "far"]);
    expect(matches[0]!.score).toBeCloseTo(1.1 / Math.sqrt(1.22), 5);
    expect(matches[3]!.score).toBeLessThan(0);
  });

  it("orders euclidean matches by distance, lowest first", async () => {
    const index = small("euclidean");
    await index.upsert(points);
    const { matches } = await index.query([1, 0, 0], { topK: 4 });
    expect(matches.map((m) => m.id)).toEqual(["near", "mid", "far", "long"]);
    expect(matches[0]!.score).toBeCloseTo(Math.sqrt(0.02), 5);
    expect(matches[1]!.score).toBeCloseTo(1, 5);
  });

  it("orders dot-product matches by negative dot product, lowest first", async () => {
    const index = small("dot-product");
    await index.upsert(points);
    const { matches } = await index.query([1, 0, 0], { topK: 4 });
    expect(matches.map((m) => m.id)).toEqual(["long", "near", "mid", "far"]);
    expect(matches.map((m) => m.score)).toEqual([-5, expect.closeTo(-1.1, 5), -1, 1]);
  });

  it("skips existing ids on insert and replaces them on upsert", async () => {
    const index = small();
    await index.insert([{ id: "x", values: [1, 0, 0], metadata: { v: 1 } }]);
    await index.insert([{ id: "x", values: [0, 1, 0], metadata: { v: 2 } }]);
    expect(await index.getByIds(["x"])).toEqual([{ id: "x", values: [1, 0, 0], metadata: { v: 1 } }]);
    await index.upsert([{ id: "x", values: [0, 0, 1] }]);
    expect(await index.getByIds(["x"])).toEqual([{ id: "x", values: [0, 0, 1] }]);
  });

  it("gets vectors by id with values, metadata and namespace, skipping unknown ids", async () => {
    const index = small();
    const ns = unique("ns");
    await index.upsert([{ id: "g1", values: [0.5, 0.25, 0.125], namespace: ns, metadata: { tag: "t" } }, { id: "g2", values: [1, 0, 0] }]);
    expect(await index.getByIds(["g2", "missing", "g1"])).toEqual([
      { id: "g2", values: [1, 0, 0] },
      { id: "g1", values: [0.5, 0.25, 0.125], namespace: ns, metadata: { tag: "t" } },
    ]);
  });

  it("deletes by id and counts what is left in describe", async () => {
    const index = small();
    await index.upsert([1, 2, 3, 4].map((i) => ({ id: `d${i}`, values: [i, 1, 0] })));
    expect(await index.describe()).toMatchObject({ vectorCount: 4, dimensions: 3 });
    const { mutationId } = await index.deleteByIds(["d1", "d3", "never-existed"]);
    expect(mutationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await index.getByIds(["d1", "d2", "d3", "d4"])).toHaveLength(2);
    expect((await index.query([1, 1, 0], { topK: 10 })).matches.map((m) => m.id).sort()).toEqual(["d2", "d4"]);
    expect((await index.describe()).vectorCount).toBe(2);
  });

  it("returns values and metadata only when asked, and queries by id", async () => {
    const index = small();
    await index.upsert([{ id: "r1", values: [1, 0, 0], metadata: { a: 1 } }, { id: "r2", values: [0.9, 0.1, 0] }]);
    expect(await index.query([1, 0, 0])).toEqual({ count: 2, matches: [expect.objectContaining({ id: "r1" }), expect.objectContaining({ id: "r2" })] });
    expect((await index.query([1, 0, 0])).matches[0]).not.toHaveProperty("metadata");
    expect((await index.query([1, 0, 0], { returnMetadata: "all", returnValues: true })).matches[0]).toMatchObject({ values: [1, 0, 0], metadata: { a: 1 } });
    expect((await index.query([1, 0, 0], { returnMetadata: true })).matches[0]).toHaveProperty("metadata", { a: 1 });
    expect((await index.query([1, 0, 0], { returnMetadata: "none" })).matches[0]).not.toHaveProperty("metadata");
    expect((await index.queryById("r2", { topK: 1 })).matches.map((m) => m.id)).toEqual(["r2"]);
  });

  it("ranks 5,000 vectors of 768 dimensions exactly as a brute-force cosine does", async () => {
    // Speed is measured by `npm run bench:retrieval`, not asserted here.
    const index = vectorIndex(twin, { index: unique("bulk"), dimensions: 768 });
    const ns = "bulk";
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
    const all: { id: string; values: number[] }[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const vectors = Array.from({ length: 1000 }, (_, i) => ({ id: `p${batch}-${i}`, namespace: ns, values: Array.from({ length: 768 }, () => Math.round(random() * 1e4) / 1e4) }));
      all.push(...vectors);
      await index.upsert(vectors);
    }
    const query = Array.from({ length: 768 }, random);
    const norm = (v: number[]) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
    const cosine = (v: number[]) => v.reduce((sum, x, i) => sum + x * (query[i] as number), 0) / (norm(v) * norm(query));
    const expected = all.map((v) => ({ id: v.id, score: cosine(v.values) })).sort((a, b) => b.score - a.score).slice(0, 10);
    const result = await index.query(query, { namespace: ns, topK: 10 });
    expect(result.count).toBe(10);
    expect(result.matches.map((m) => m.id)).toEqual(expected.map((m) => m.id));
    expect(result.matches[0]?.score).toBeCloseTo(expected[0]?.score ?? 0, 4);
  });
});
