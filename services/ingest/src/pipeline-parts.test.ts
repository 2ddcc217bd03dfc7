// Unit tests for the pieces of ingest that decide identity and shape: content hashes, chunk ids, vector metadata, job status.
import { describe, expect, it } from "vitest";
import { chunkId, contentHash, type VersionInput } from "./ids.ts";
import { jobStatus } from "./jobs.ts";
import { inGroups } from "@platform/shared";
import { decodeCursor, encodeCursor, jsonGroups } from "./documents-db/write.ts";
import { slices } from "./submit.ts";
import { MAX_VECTOR_METADATA_BYTES, vectorMetadata } from "./vector-metadata.ts";

const base: VersionInput = { contentType: "text/plain", text: "Hello.", metadata: { a: 1, b: "x" }, chunking: { size: 800, overlap: 100 }, embeddingModel: "@cf/baai/bge-base-en-v1.5" };

describe("content hash", () => {
  it("is the same for the same document whatever the order of its metadata keys", async () => {
    expect(await contentHash(base)).toBe(await contentHash({ ...base, metadata: { b: "x", a: 1 } }));
  });

  it("changes with the text, title, metadata, chunking or embedding model", async () => {
    const hash = await contentHash(base);
    for (const change of [{ text: "Hello!" }, { title: "T" }, { metadata: { a: 2, b: "x" } }, { chunking: { size: 600, overlap: 100 } }, { embeddingModel: "@cf/baai/bge-m3" }]) {
      expect(await contentHash({ ...base, ...change })).not.toBe(hash);
    }
  });
});

describe("chunk ids", () => {
  it("are 64 hex characters (Vectorize's 64-byte limit) and differ by tenant, document, version and position", async () => {
    const id = await chunkId("demo", "doc-1", "v1", 0);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const others = await Promise.all([chunkId("acme", "doc-1", "v1", 0), chunkId("demo", "doc-2", "v1", 0), chunkId("demo", "doc-1", "v2", 0), chunkId("demo", "doc-1", "v1", 1)]);
    expect(new Set([id, ...others]).size).toBe(5);
  });
});

describe("vector metadata", () => {
  it("carries the platform's fields and the document's own metadata", () => {
    expect(vectorMetadata({ docId: "d", chunk: 2, title: "T", url: "https://x.test/d", headings: ["A", "B"], contentType: "text/markdown", metadata: { team: "ops" } })).toEqual({
      team: "ops",
      docId: "d",
      chunk: 2,
      contentType: "text/markdown",
      title: "T",
      url: "https://x.test/d",
      headings: "A > B",
    });
  });

  it("stays under 10 KiB with the longest title, url and heading path", () => {
    const metadata = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`key${i}`, "v".repeat(100)]));
    const meta = vectorMetadata({ docId: "d".repeat(128), chunk: 9999, title: "t".repeat(512), url: "https://x.test/" + "u".repeat(2000), headings: Array(50).fill("h".repeat(100)), contentType: "text/html", metadata });
    expect(new TextEncoder().encode(JSON.stringify(meta)).length).toBeLessThan(MAX_VECTOR_METADATA_BYTES);
    expect(meta.key15).toBe("v".repeat(100));
  });
});

describe("job status", () => {
  const counts = (c: Partial<Record<"pending" | "indexed" | "unchanged" | "rejected" | "failed", number>>) => ({ pending: 0, indexed: 0, unchanged: 0, rejected: 0, failed: 0, ...c });
  it("is queued until the consumer starts, then processing until nothing is pending", () => {
    expect(jobStatus(counts({ pending: 3 }), false)).toBe("queued");
    expect(jobStatus(counts({ pending: 3 }), true)).toBe("processing");
    expect(jobStatus(counts({ pending: 1, indexed: 2 }), false)).toBe("processing");
  });
  it("is completed, completed_with_errors or failed once every document has an outcome", () => {
    expect(jobStatus(counts({ indexed: 2, unchanged: 1 }), true)).toBe("completed");
    expect(jobStatus(counts({ indexed: 2, rejected: 1 }), true)).toBe("completed_with_errors");
    expect(jobStatus(counts({ failed: 2, rejected: 1 }), true)).toBe("failed");
  });
});

describe("batching helpers", () => {
  it("groups items for D1's 100-parameter statements", () => {
    expect(inGroups([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("slices a queued job by document count and size", () => {
    const docs = Array.from({ length: 1045 }, (_, i) => ({ index: i, id: `d${i}`, text: i === 1044 ? "x".repeat(1_100_000) : "small", contentType: "text/plain" as const, metadata: {} }));
    const out = slices(docs);
    expect(out.map((s) => s.length)).toEqual([500, 500, 44, 1]);
    expect(out.flat()).toEqual(docs.map((d) => d.index));
  });

  it("packs rows into JSON arrays of at most 512 KiB, a larger row alone", () => {
    const big = "y".repeat(600_000);
    const groups = jsonGroups([[1, "a"], [2, big], [3, "b"], [4, "c"]]);
    expect(groups.map((g) => (JSON.parse(g) as unknown[][]).map((r) => r[0]))).toEqual([[1], [2], [3, 4]]);
    expect(jsonGroups([])).toEqual([]);
  });

  it("round-trips list cursors and refuses foreign ones", () => {
    expect(decodeCursor(encodeCursor("doc-ü:1"))).toBe("doc-ü:1");
    expect(decodeCursor("%%%")).toBeUndefined();
  });
});
