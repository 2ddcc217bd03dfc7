// Unit tests for the ingest contract: each document is checked on its own and rejected with a reason.
import { describe, expect, it } from "vitest";
import { estimateIngestTokens, INGEST_LIMITS, splitDocuments } from "./ingest-contract.ts";

describe("splitDocuments", () => {
  it("accepts good documents with defaults and keeps their position", () => {
    const { accepted, rejected } = splitDocuments([{ id: "a", text: "Hello" }]);
    expect(rejected).toEqual([]);
    expect(accepted).toEqual([{ id: "a", text: "Hello", contentType: "text/plain", metadata: {}, index: 0 }]);
  });

  it("rejects empty text, unknown content types, bad ids, oversized text and bad metadata, each with a reason", () => {
    const big = "x".repeat(INGEST_LIMITS.maxDocumentBytes + 1);
    const { accepted, rejected } = splitDocuments([
      { id: "ok", text: "fine", contentType: "text/markdown" },
      { id: "empty", text: "   " },
      { id: "png", text: "x", contentType: "image/png" },
      { id: "bad id!", text: "x" },
      { id: "big", text: big },
      { id: "meta", text: "x", metadata: { docId: "clash" } },
      { id: "nested", text: "x", metadata: { a: { b: 1 } } },
      "not an object",
      { id: "ok", text: "again" },
      { id: "extra", text: "x", content_type: "text/html" },
    ]);
    expect(accepted.map((d) => d.id)).toEqual(["ok"]);
    expect(rejected.map((r) => [r.index, r.id, r.code])).toEqual([
      [1, "empty", "invalid_request"],
      [2, "png", "unsupported_media_type"],
      [3, "bad id!", "invalid_request"],
      [4, "big", "payload_too_large"],
      [5, "meta", "invalid_request"],
      [6, "nested", "invalid_request"],
      [7, undefined, "invalid_request"],
      [8, "ok", "conflict"],
      [9, "extra", "invalid_request"],
    ]);
    expect(rejected[0]!.reason).toMatch(/text must not be empty/);
    expect(rejected[3]!.reason).toMatch(/over the limit of 524288 bytes/);
    expect(rejected[4]!.reason).toMatch(/reserved/);
  });

  it("limits metadata size and key count", () => {
    const many = Object.fromEntries(Array.from({ length: INGEST_LIMITS.maxMetadataKeys + 1 }, (_, i) => [`k${i}`, i]));
    const long = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, "v".repeat(250)]));
    const { rejected } = splitDocuments([{ id: "a", text: "x", metadata: many }, { id: "b", text: "x", metadata: long }]);
    expect(rejected.map((r) => r.reason)).toEqual([expect.stringMatching(/at most 16 keys/), expect.stringMatching(/at most 2048 bytes/)]);
  });

  it("estimates embedding tokens at four characters a token with room for overlap", () => {
    expect(estimateIngestTokens([{ text: "x".repeat(400) }])).toBe(125);
  });
});
