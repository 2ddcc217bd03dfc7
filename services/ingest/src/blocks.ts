// Structural blocks every content type is normalised into (headings, paragraphs, lists, tables, code), and their text form.

export type Block =
  | { kind: "heading"; level: number; text: string }
  | { kind: "paragraph"; text: string }
  /** Items keep their markers ("- ", "1. ") and indentation. */
  | { kind: "list"; items: string[] }
  /** Cells per row; the first row is the header. */
  | { kind: "table"; rows: string[][] }
  | { kind: "code"; text: string }
  /** Where a page of a paged document (a PDF) begins; chunks never cross it and cite its number. */
  | { kind: "page"; number: number };

/** A document that cannot be indexed as sent; the reason goes back to the client. */
export class RejectError extends Error {
  constructor(
    readonly code: "invalid_request" | "unsupported_media_type" | "payload_too_large",
    message: string,
  ) {
    super(message);
    this.name = "RejectError";
  }
}

export const collapse = (text: string): string => text.replace(/\s+/g, " ").trim();

export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
}

export function tableLines(rows: readonly string[][]): string[] {
  if (rows.length === 0) return [];
  const [header, ...body] = rows;
  return [tableRow(header!), tableRow(header!.map(() => "---")), ...body.map(tableRow)];
}

/** A block as markdown-like text. */
export function blockText(block: Block): string {
  switch (block.kind) {
    case "heading":
      return `${"#".repeat(block.level)} ${block.text}`;
    case "paragraph":
      return block.text;
    case "list":
      return block.items.join("\n");
    case "table":
      return tableLines(block.rows).join("\n");
    case "code":
      return "```\n" + block.text + "\n```";
    case "page":
      return `\f${block.number}`;
  }
}

export function blocksToText(blocks: readonly Block[]): string {
  return blocks.map(blockText).join("\n\n");
}

/** Drops empty blocks and merges what normalisers can leave behind (empty paragraphs, empty lists). */
export function cleanBlocks(blocks: readonly Block[]): Block[] {
  return blocks.flatMap((block): Block[] => {
    switch (block.kind) {
      case "heading":
      case "paragraph": {
        const text = collapse(block.text);
        return text ? [{ ...block, text }] : [];
      }
      case "list": {
        const items = block.items.map((i) => i.replace(/\s+$/g, "")).filter((i) => i.trim() !== "");
        return items.length ? [{ kind: "list", items }] : [];
      }
      case "table": {
        const rows = block.rows.map((r) => r.map(collapse)).filter((r) => r.some((c) => c !== ""));
        if (rows.length === 0) return [];
        const width = Math.max(...rows.map((r) => r.length));
        return [{ kind: "table", rows: rows.map((r) => [...r, ...Array<string>(width - r.length).fill("")]) }];
      }
      case "code": {
        const text = block.text.replace(/^\n+|\s+$/g, "");
        return text ? [{ kind: "code", text }] : [];
      }
      case "page":
        return [block];
    }
  });
}
