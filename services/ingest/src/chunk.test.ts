// Unit tests for structure-aware chunking: heading paths, sizes, overlap, tables kept whole or split with their header.
import { describe, expect, it } from "vitest";
import type { Block } from "./blocks.ts";
import { chunkBlocks, chunkOptions, embeddingText, tail } from "./chunk.ts";
import { normalize } from "./normalize.ts";

const sentence = (i: number) => `Sentence number ${i} says something useful about the topic.`;
const paragraph = (from: number, count: number) => Array.from({ length: count }, (_, i) => sentence(from + i)).join(" ");

describe("chunkBlocks", () => {
  it("never crosses a heading and gives each chunk its heading path", () => {
    const { blocks } = normalize("# Guide\n\nIntro.\n\n## Install\n\nRun it.\n\n### Linux\n\nUse apt.\n\n## Use\n\nCall it.", "text/markdown");
    const chunks = chunkBlocks(blocks, { size: 500, overlap: 50 });
    expect(chunks.map((c) => [c.headings, c.text])).toEqual([
      [["Guide"], "Intro."],
      [["Guide", "Install"], "Run it."],
      [["Guide", "Install", "Linux"], "Use apt."],
      [["Guide", "Use"], "Call it."],
    ]);
    expect(chunks.map((c) => c.index)).toEqual([0, 1, 2, 3]);
  });

  it("packs small blocks together up to the size and keeps every chunk within it", () => {
    const blocks: Block[] = Array.from({ length: 12 }, (_, i) => ({ kind: "paragraph", text: paragraph(i * 3, 3) }));
    const chunks = chunkBlocks(blocks, { size: 400, overlap: 0 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(400);
    // No paragraph that fits a chunk is split across two.
    for (const b of blocks) expect(chunks.some((c) => c.text.includes((b as { text: string }).text))).toBe(true);
  });

  it("splits a long paragraph at sentences and repeats the end of one chunk at the start of the next", () => {
    const chunks = chunkBlocks([{ kind: "paragraph", text: paragraph(0, 30) }], { size: 300, overlap: 80 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(300);
    for (let i = 1; i < chunks.length; i++) {
      const firstSentence = chunks[i]!.text.split(/(?<=\.)\s/)[0]!;
      expect(chunks[i - 1]!.text).toContain(firstSentence);
    }
  });

  it("adds no overlap when the tenant sets none", () => {
    const text = paragraph(0, 30);
    const chunks = chunkBlocks([{ kind: "paragraph", text }], { size: 300, overlap: 0 });
    expect(chunks.map((c) => c.text).join(" ")).toBe(text);
  });

  it("keeps a table that fits in one chunk whole, under its heading, rather than splitting it", () => {
    const rows = [["Plan", "Price"], ...Array.from({ length: 6 }, (_, i) => [`Plan ${i}`, `${i * 10} EUR`])];
    const blocks: Block[] = [{ kind: "heading", level: 2, text: "Prices" }, { kind: "paragraph", text: paragraph(0, 4) }, { kind: "table", rows }];
    const chunks = chunkBlocks(blocks, { size: 320, overlap: 60 });
    const withTable = chunks.filter((c) => c.text.includes("| Plan | Price |"));
    expect(withTable).toHaveLength(1);
    expect(withTable[0]!.text.startsWith("| Plan | Price |")).toBe(true);
    expect(withTable[0]!.text).toContain("| Plan 5 | 50 EUR |");
    expect(withTable[0]!.headings).toEqual(["Prices"]);
  });

  it("splits a table larger than a chunk by rows and repeats its header row in every part", () => {
    const rows = [["Country", "Capital"], ...Array.from({ length: 40 }, (_, i) => [`Country ${i}`, `Capital city ${i}`])];
    const chunks = chunkBlocks([{ kind: "heading", level: 1, text: "Capitals" }, { kind: "table", rows }], { size: 250, overlap: 50 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.text.startsWith("| Country | Capital |\n| --- | --- |")).toBe(true);
      expect(c.text.length).toBeLessThanOrEqual(250);
      expect(c.headings).toEqual(["Capitals"]);
    }
    const body = chunks.flatMap((c) => c.text.split("\n").slice(2));
    expect(body).toHaveLength(40);
  });

  it("gives a document of headings only one chunk of its headings", () => {
    expect(chunkBlocks([{ kind: "heading", level: 1, text: "Only a title" }], { size: 300, overlap: 0 })).toEqual([{ index: 0, text: "Only a title", headings: [] }]);
  });

  it("hard-splits a word longer than a chunk", () => {
    const chunks = chunkBlocks([{ kind: "paragraph", text: "x".repeat(1000) }], { size: 300, overlap: 50 });
    for (const c of chunks) expect(c.text.length).toBeLessThanOrEqual(300);
    expect(chunks.map((c) => c.text.replace(/\s/g, "")).join("").length).toBeGreaterThanOrEqual(1000);
  });
});

describe("chunkOptions", () => {
  it("clamps the tenant's size to 200..8000 and the overlap to half the size", () => {
    expect(chunkOptions({ chunkSize: 800, chunkOverlap: 100 })).toEqual({ size: 800, overlap: 100 });
    expect(chunkOptions({ chunkSize: 50, chunkOverlap: 500 })).toEqual({ size: 200, overlap: 100 });
    expect(chunkOptions({ chunkSize: 100_000, chunkOverlap: 0 })).toEqual({ size: 8000, overlap: 0 });
  });
});

describe("tail and embeddingText", () => {
  it("starts an overlap at a sentence or word boundary", () => {
    expect(tail("One two three. Four five six.", 18)).toBe("Four five six.");
    expect(tail("alpha beta gamma delta", 12)).toBe("gamma delta");
    expect(tail("short", 50)).toBe("short");
  });

  it("puts the title and heading path in front of the text to embed, once each", () => {
    expect(embeddingText({ index: 0, text: "Body.", headings: ["Guide", "Install"] }, "Guide")).toBe("Guide > Install\n\nBody.");
    expect(embeddingText({ index: 0, text: "Body.", headings: [] }, undefined)).toBe("Body.");
  });
});
