// Normalisation of every accepted content type into structural blocks plus the readable text they make.
import type { ContentType } from "@platform/shared";
import { blocksToText, RejectError, type Block } from "./blocks.ts";
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
