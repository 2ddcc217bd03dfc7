// Structure-aware chunking: chunks never cross a heading, keep their heading path, respect the tenant's size and
// overlap (in characters), keep a block whole when it fits and repeat a split table's header row.
import { blockText, tableLines, type Block } from "./blocks.ts";

export interface ChunkOptions {
  /** Most characters in a chunk's text (its heading path comes on top). */
  size: number;
  /** Characters of the previous chunk repeated at the start of the next one in the same section. */
  overlap: number;
}

export interface Chunk {
  index: number;
  text: string;
  /** Heading path, outermost first. */
  headings: string[];
  /** The page it comes from, in a paged document (1-based). */
  page?: number;
}

export const MIN_CHUNK_SIZE = 200;
export const MAX_CHUNK_SIZE = 8000;

/** The tenant's rag settings made safe: size within 200..8000, overlap at most half of it. */
export function chunkOptions(rag: { chunkSize: number; chunkOverlap: number }): ChunkOptions {
  const size = Math.min(MAX_CHUNK_SIZE, Math.max(MIN_CHUNK_SIZE, Math.floor(rag.chunkSize)));
  return { size, overlap: Math.max(0, Math.min(Math.floor(rag.chunkOverlap), Math.floor(size / 2))) };
}

interface Unit {
  text: string;
  /** How the unit joins what comes before it in the same chunk. */
  joiner: string;
}

export function chunkBlocks(blocks: readonly Block[], options: ChunkOptions): Chunk[] {
  const { size, overlap } = options;
  const chunks: Chunk[] = [];
  const path: { level: number; text: string }[] = [];
  let text = "";
  let headings: string[] = [];
  // Whether the chunk so far ends in prose; only prose is repeated as overlap (never half a table or code).
  let endsInProse = false;
  let page: number | undefined;

  const emit = () => {
    if (text.trim() !== "") chunks.push({ index: chunks.length, text: text.trim(), headings, ...(page === undefined ? {} : { page }) });
    text = "";
  };
  /** Ends a full chunk and starts the next with `unit`, after an overlap of the last one when both are prose. */
  const next = (carry: boolean, joiner: string, unit: string) => {
    const carried = carry && endsInProse ? tail(text, overlap) : "";
    emit();
    const room = size - unit.length - joiner.length;
    const kept = carried.length <= room ? carried : tail(carried, room);
    text = kept ? kept + joiner + unit : unit;
  };

  for (const block of blocks) {
    if (block.kind === "page") {
      emit();
      page = block.number;
      continue;
    }
    if (block.kind === "heading") {
      emit();
      while (path.length > 0 && path[path.length - 1]!.level >= block.level) path.pop();
      path.push({ level: block.level, text: block.text });
      continue;
    }
    if (text === "") headings = path.map((h) => h.text);
    const whole = blockText(block);
    const prose = block.kind === "paragraph" || block.kind === "list";
    if (text === "" && whole.length <= size) text = whole;
    else if (text !== "" && text.length + 2 + whole.length <= size) text += "\n\n" + whole;
    // A block that fits in a chunk of its own is kept whole rather than split across two.
    else if (whole.length <= size) next(prose, "\n\n", whole);
    else packUnits(block);
    endsInProse = prose;
  }
  emit();

  if (chunks.length === 0 && path.length > 0) chunks.push({ index: 0, text: path.map((h) => h.text).join("\n").slice(0, size), headings: [] });
  return chunks;

  /** A block larger than a chunk: its units (sentences, items, rows, lines) fill chunks greedily. */
  function packUnits(block: Block): void {
    const prose = block.kind === "paragraph" || block.kind === "list";
    const header = block.kind === "table" ? tableLines(block.rows.slice(0, 1)).join("\n") : "";
    const units = blockUnits(block, header, size);
    units.forEach((unit, i) => {
      const joiner = i === 0 ? "\n\n" : unit.joiner;
      if (text === "") text = unit.text;
      else if (text.length + joiner.length + unit.text.length <= size) text += joiner + unit.text;
      // A table split across chunks repeats its header row in each.
      else if (header && i > 0) next(false, "\n", header + "\n" + unit.text);
      else next(prose, joiner, unit.text);
      if (i === 0) endsInProse = prose;
    });
  }
}

/** The pieces a block splits into, each short enough for a chunk (a table's first row carries the header). */
function blockUnits(block: Block, header: string, size: number): Unit[] {
  switch (block.kind) {
    case "paragraph":
      return proseUnits(block.text, size, " ");
    case "list":
      return block.items.flatMap((item, i) => proseUnits(item, size, " ").map((u, j) => (j === 0 && i > 0 ? { ...u, joiner: "\n" } : u)));
    case "table": {
      const [, , ...rows] = tableLines(block.rows);
      const units = rows.flatMap((row) => hardSplit(row, size - header.length - 1).map((text, j) => ({ text, joiner: j === 0 ? "\n" : " " })));
      if (units[0]) units[0] = { ...units[0], text: header + "\n" + units[0].text };
      return units;
    }
    case "code":
      return block.text.split("\n").flatMap((line) => hardSplit(line, size).map((text) => ({ text, joiner: "\n" })));
    case "heading":
    case "page":
      return [];
  }
}

/** Sentences, then words, then characters: the largest pieces that fit. */
function proseUnits(text: string, limit: number, joiner: string): Unit[] {
  const units: Unit[] = [];
  for (const sentence of text.split(/(?<=[.!?;:])\s+/)) {
    if (sentence.length <= limit) {
      units.push({ text: sentence, joiner });
      continue;
    }
    let piece = "";
    for (const word of sentence.split(/\s+/)) {
      for (const part of hardSplit(word, limit)) {
        if (piece && piece.length + 1 + part.length > limit) {
          units.push({ text: piece, joiner });
          piece = "";
        }
        piece = piece ? piece + " " + part : part;
      }
    }
    if (piece) units.push({ text: piece, joiner });
  }
  return units.filter((u) => u.text !== "");
}

function hardSplit(text: string, limit: number): string[] {
  if (text.length <= limit) return [text];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += limit) out.push(text.slice(i, i + limit));
  return out;
}

/** The last `chars` characters of a text, starting at a sentence (or else a word) boundary. */
export function tail(text: string, chars: number): string {
  if (chars <= 0 || text === "") return "";
  if (text.length <= chars) return text.trim();
  const window = text.slice(text.length - chars);
  const sentence = /[.!?]\s+(?=\S)/.exec(window);
  if (sentence && sentence.index + sentence[0].length < window.length * 0.6) return window.slice(sentence.index + sentence[0].length).trim();
  const space = window.search(/\s/);
  return (space >= 0 ? window.slice(space + 1) : window).trim();
}

/** What gets embedded: the title and heading path give the chunk its context. */
export function embeddingText(chunk: Chunk, title: string | undefined): string {
  const context = [title, ...chunk.headings].filter((h, i, all): h is string => !!h && all.indexOf(h) === i);
  return context.length ? `${context.join(" > ")}\n\n${chunk.text}` : chunk.text;
}
