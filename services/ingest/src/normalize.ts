// Normalisation of every accepted content type into structural blocks plus the readable text they make.
import type { ContentType } from "@platform/shared";
import { blocksToText, RejectError, type Block } from "./blocks.ts";
import { PAGE_BREAK } from "./converted.ts";
import { htmlBlocks } from "./html.ts";
import { jsonBlocks } from "./json-text.ts";
import { markdownBlocks, plainBlocks } from "./markdown.ts";

export interface Normalized {
  blocks: Block[];
  /** The document as readable text (markdown-like); what its content hash covers. */
  text: string;
  /** A title found in the document itself (HTML <title>, or the first top-level heading). */
  title?: string;
}

export function normalize(source: string, contentType: ContentType): Normalized {
  const clean = source.replace(/\r\n?/g, "\n").replace(/\u0000/g, "").replace(/[\u200B\uFEFF]/g, "");
  let blocks: Block[];
  let title: string | undefined;
  switch (contentType) {
    case "text/html": {
      const html = htmlBlocks(clean);
      blocks = html.blocks;
      title = html.title;
      break;
    }
    case "text/markdown":
      blocks = markdownBlocks(clean);
      break;
    case "application/json":
      blocks = jsonBlocks(clean);
      break;
    case "text/plain":
      blocks = plainBlocks(clean);
      break;
    // Files arrive here as the converter's Markdown (see convert.ts); a PDF's pages are separated by form feeds.
    case "application/pdf":
      blocks = pagedBlocks(clean);
      break;
    case "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
      blocks = markdownBlocks(clean);
      break;
    default:
      throw new RejectError("unsupported_media_type", `contentType ${String(contentType)} is not supported`);
  }
  if (blocks.length === 0) throw new RejectError("invalid_request", `no text is left after normalising this ${contentType} document`);
  const first = blocks[0];
  if (title === undefined && first?.kind === "heading" && first.level === 1 && contentType !== "application/json") title = first.text;
  const result: Normalized = { blocks, text: blocksToText(blocks) };
  if (title) result.title = title;
  return result;
}

/** Markdown with a page break before each page: each page's blocks after a marker with its number. */
function pagedBlocks(source: string): Block[] {
  const [before = "", ...pages] = source.split(PAGE_BREAK);
  return [...markdownBlocks(before), ...pages.flatMap((page, i): Block[] => [{ kind: "page", number: i + 1 }, ...markdownBlocks(page)])];
}
