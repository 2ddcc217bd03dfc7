// Markdown and plain text to blocks: a line-based reader for headings, fences, tables, lists and paragraphs.
import { cleanBlocks, type Block } from "./blocks.ts";

const ATX = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^(\s*)([-*+•]|\d{1,9}[.)])[ \t]+(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const SETEXT = /^ {0,3}(=+|-+)\s*$/;

export function markdownBlocks(source: string): Block[] {
  const lines = stripFrontMatter(source.replace(/<!--[\s\S]*?-->/g, "")).split("\n");
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "" || RULE.test(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const close = new RegExp(`^ {0,3}${fence[1]![0] === "`" ? "`" : "~"}{${fence[1]!.length},}\\s*$`);
      const code: string[] = [];
      for (i++; i < lines.length && !close.test(lines[i]!); i++) code.push(lines[i]!);
      i++;
      blocks.push({ kind: "code", text: code.join("\n") });
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      blocks.push({ kind: "heading", level: atx[1]!.length, text: inline(atx[2]!) });
      i++;
      continue;
    }
    if (line.includes("|") && TABLE_SEPARATOR.test(lines[i + 1] ?? "") && (lines[i + 1] ?? "").includes("-")) {
      const rows = [cells(line)];
      for (i += 2; i < lines.length && lines[i]!.includes("|") && lines[i]!.trim() !== ""; i++) rows.push(cells(lines[i]!));
      blocks.push({ kind: "table", rows });
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const items: string[] = [];
      while (i < lines.length) {
        const current = lines[i]!;
        const item = LIST_ITEM.exec(current);
        if (item) {
          items.push(`${item[1]!.replace(/\t/g, "  ")}${item[2] === "•" ? "-" : item[2]} ${inline(item[3]!)}`);
        } else if (current.trim() !== "" && /^\s+/.test(current) && items.length > 0) {
          items[items.length - 1] += " " + inline(current.trim());
        } else if (current.trim() === "" && LIST_ITEM.test(lines[i + 1] ?? "")) {
          // a loose list: blank lines between items
        } else {
          break;
        }
        i++;
      }
      blocks.push({ kind: "list", items });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== "" && !startsBlock(lines, i)) {
      paragraph.push(lines[i]!.replace(/^\s*>\s?/, "").trim());
      i++;
    }
    const setext = SETEXT.exec(lines[i] ?? "");
    if (setext && paragraph.length > 0 && lines[i]!.trim() !== "") {
      blocks.push({ kind: "heading", level: setext[1]![0] === "=" ? 1 : 2, text: inline(paragraph.join(" ")) });
      i++;
      continue;
    }
    blocks.push({ kind: "paragraph", text: inline(paragraph.join(" ")) });
  }
  return cleanBlocks(blocks);
}

/** Plain text: paragraphs separated by blank lines; runs of bulleted or numbered lines become lists. */
export function plainBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  for (const para of source.split(/\n[ \t]*\n/)) {
    const lines = para.split("\n").filter((l) => l.trim() !== "");
    if (lines.length === 0) continue;
    let prose: string[] = [];
    let items: string[] = [];
    const flush = () => {
      if (prose.length) blocks.push({ kind: "paragraph", text: prose.join(" ") });
      if (items.length) blocks.push({ kind: "list", items });
      prose = [];
      items = [];
    };
    for (const line of lines) {
      const item = LIST_ITEM.exec(line);
      if (item) {
        if (prose.length) flush();
        items.push(`${item[1]!.replace(/\t/g, "  ")}${item[2] === "•" ? "-" : item[2]} ${item[3]!.trim()}`);
      } else {
        if (items.length) flush();
        prose.push(line.trim());
      }
    }
    flush();
  }
  return cleanBlocks(blocks);
}

function startsBlock(lines: string[], i: number): boolean {
  const line = lines[i]!;
  if (ATX.test(line) || FENCE.test(line) || LIST_ITEM.test(line)) return true;
  if (line.includes("|") && TABLE_SEPARATOR.test(lines[i + 1] ?? "")) return true;
  // A setext underline ends the paragraph (it is read by the caller).
  return i > 0 && SETEXT.test(line) && lines[i - 1]!.trim() !== "";
}

function cells(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, "").replace(/(?<!\\)\|$/, "");
  return trimmed.split(/(?<!\\)\|/).map((c) => inline(c.replace(/\\\|/g, "|").trim()));
}

/** Inline markdown reduced to its text: links keep their label, emphasis and code marks and escapes go. */
function inline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/<\/?[A-Za-z][^>]*>/g, "")
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, "$2")
    .replace(/(^|[^\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])/g, "$1$2")
    .replace(/`([^`]+)`/g, "$1")
    // A backslash before ASCII punctuation only escapes it (converters escape "." and "-" freely).
    .replace(/\\([!-/:-@[-`{-~])/g, "$1")
    .trim();
}

function stripFrontMatter(text: string): string {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  return match ? match[1]!.split("\n").filter((l) => l.trim()).map((l) => l.trim()).join("\n") + "\n\n" + text.slice(match[0].length) : text;
}
