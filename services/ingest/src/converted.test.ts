// Unit tests for converted files: Workers AI's Markdown layout to ingest text, then page markers through normalising
// and chunking, so each chunk of a PDF knows its page.
import { describe, expect, it } from "vitest";
import { chunkBlocks } from "./chunk.ts";
import { convertedText, PAGE_BREAK } from "./converted.ts";
import { normalize } from "./normalize.ts";

// The layout Workers AI documents for a PDF (and the LocalAI twin writes).
const pdfMarkdown = [
  "# handbook.pdf",
  "## Metadata",
  "- PDFFormatVersion=1.7",
  "- Title=Shipping handbook",
  "",
  "## Contents",
  "### Page 1",
  "Aurora tariffs",
  "The aurora tariff applies at night.",
  "",
  "### Page 2",
  "## Page 1 of the appendix",
  "Refunds close after thirty days.",
].join("\n");

describe("convertedText", () => {
  it("drops the converter's wrapping, keeps the PDF's title and turns page headings into page breaks", () => {
    expect(convertedText(pdfMarkdown, "handbook.pdf", true)).toEqual({
      title: "Shipping handbook",
      text: `${PAGE_BREAK}Aurora tariffs\nThe aurora tariff applies at night.\n\n${PAGE_BREAK}## Page 1 of the appendix\nRefunds close after thirty days.`,
    });
  });

  it("keeps a page heading that does not count up as the document's own, and leaves empty pages in place", () => {
    const { text } = convertedText("## Contents\n### Page 1\nOne\n### Page 3\nThree\n### Page 2\nStill three", "x.pdf", true);
    expect(text.split(PAGE_BREAK)).toEqual(["", "One\n\n", "\n\n", "Three\n### Page 2\nStill three"]);
  });

  it("adds no page breaks when the converter marks no pages, and leaves a DOCX's Markdown as it is", () => {
    expect(convertedText("# a.pdf\n\nJust text.", "a.pdf", true)).toEqual({ text: "Just text." });
    expect(convertedText("# a.docx\n\n# Policy\n\nText.", "a.docx", false)).toEqual({ text: "# Policy\n\nText." });
  });
});

describe("paged documents", () => {
  it("normalises a PDF's pages into page markers that chunks never cross and cite", () => {
    const { text } = convertedText(pdfMarkdown, "handbook.pdf", true);
    const { blocks } = normalize(text, "application/pdf");
    expect(blocks).toEqual([
      { kind: "page", number: 1 },
      { kind: "paragraph", text: "Aurora tariffs The aurora tariff applies at night." },
      { kind: "page", number: 2 },
      { kind: "heading", level: 2, text: "Page 1 of the appendix" },
      { kind: "paragraph", text: "Refunds close after thirty days." },
    ]);
    expect(chunkBlocks(blocks, { size: 1000, overlap: 100 })).toEqual([
      { index: 0, text: "Aurora tariffs The aurora tariff applies at night.", headings: [], page: 1 },
      { index: 1, text: "Refunds close after thirty days.", headings: ["Page 1 of the appendix"], page: 2 },
    ]);
  });

  it("keeps a section's heading path across a page break", () => {
    const { blocks } = normalize(`${PAGE_BREAK}# Rates\n\nFirst part.${PAGE_BREAK}Second part.`, "application/pdf");
    expect(chunkBlocks(blocks, { size: 1000, overlap: 100 }).map((c) => [c.page, c.headings, c.text])).toEqual([
      [1, ["Rates"], "First part."],
      [2, ["Rates"], "Second part."],
    ]);
  });

  it("unescapes Markdown escapes a converter writes", () => {
    expect(normalize("Refunds take five days\\. Call 1\\-800\\.", "application/vnd.openxmlformats-officedocument.wordprocessingml.document").blocks).toEqual([
      { kind: "paragraph", text: "Refunds take five days. Call 1-800." },
    ]);
  });
});
