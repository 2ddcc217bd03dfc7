// chunk_document: splits a document the way a RAG index wants it: by heading sections, then paragraphs, then
// sentences, within the tenant's chunk size and with its overlap (both can be overridden per call).
import * as v from "valibot";
import { sentences } from "../text.ts";
import { defineTool } from "../tool.ts";

export interface TextChunk {
  index: number;
  /** The heading the chunk sits under (markdown), or null. */
  heading: string | null;
  text: string;
  chars: number;
}

export const chunkDocument = defineTool({
  name: "chunk_document",
  description: "Split a document into chunks by headings, paragraphs and sentences, within a size limit and with overlap (default: the tenant's RAG settings). Returns { chunks: [{ index, heading, text, chars }], count, chunkSize, overlap }.",
  input: v.strictObject({
    text: v.pipe(v.string(), v.minLength(1), v.maxLength(200_000), v.description("The document text.")),
    contentType: v.optional(v.picklist(["text/plain", "text/markdown"], "contentType must be text/plain or text/markdown"), "text/plain"),
    chunkSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(8000), v.description("Most characters per chunk."))),
    overlap: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2000), v.description("Characters of the previous chunk repeated at the start of the next."))),
  }),
  scopes: ["tools"],
  limits: { maxInputBytes: 256 * 1024, maxOutputBytes: 64 * 1024, timeoutMs: 5_000 },
  async handler(ctx, args) {
    const chunkSize = args.chunkSize ?? ctx.tenant.rag.chunkSize;
    const overlap = Math.min(args.overlap ?? ctx.tenant.rag.chunkOverlap, Math.floor(chunkSize / 2));
    const chunks = chunkText(args.text, { size: chunkSize, overlap, markdown: args.contentType === "text/markdown" });
    return { chunks, count: chunks.length, chunkSize, overlap };
  },
});

interface Section {
  heading: string | null;
  paragraphs: string[];
}

export function chunkText(text: string, options: { size: number; overlap: number; markdown: boolean }): TextChunk[] {
  const chunks: TextChunk[] = [];
  for (const section of sections(text, options.markdown)) {
    let current = "";
    const emit = () => {
      if (current.trim() === "") return;
      chunks.push({ index: chunks.length, heading: section.heading, text: current.trim(), chars: current.trim().length });
    };
    for (const piece of section.paragraphs.flatMap((p) => pieces(p, options.size))) {
      const joined = current ? `${current}\n\n${piece}` : piece;
      if (joined.length <= options.size) {
        current = joined;
        continue;
      }
      emit();
      const carried = tail(current, options.overlap);
      current = carried && carried.length + 1 + piece.length <= options.size ? `${carried} ${piece}` : piece;
    }
    emit();
  }
  return chunks;
}

function sections(text: string, markdown: boolean): Section[] {
  const out: Section[] = [{ heading: null, paragraphs: [] }];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) out.at(-1)!.paragraphs.push(paragraph.join("\n").trim());
    paragraph = [];
  };
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    const heading = markdown ? /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line) : null;
    if (heading) {
      flush();
      out.push({ heading: heading[1]!, paragraphs: [] });
    } else if (line.trim() === "") flush();
    else paragraph.push(line);
  }
  flush();
  return out.filter((s) => s.paragraphs.length > 0);
}

/** A paragraph as pieces of at most `size` characters: whole, else by sentences, else cut at spaces. */
function pieces(paragraph: string, size: number): string[] {
  if (paragraph.length <= size) return [paragraph];
  const out: string[] = [];
  let current = "";
  for (const sentence of sentences(paragraph).flatMap((s) => hardSplit(s, size))) {
    if (current && current.length + 1 + sentence.length > size) {
      out.push(current);
      current = sentence;
    } else current = current ? `${current} ${sentence}` : sentence;
  }
  if (current) out.push(current);
  return out;
}

function hardSplit(text: string, size: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > size) {
    const space = rest.lastIndexOf(" ", size);
    const cut = space > size / 2 ? space : size;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) out.push(rest);
  return out;
}

/** The last `chars` characters of text, starting at a word boundary. */
function tail(text: string, chars: number): string {
  if (chars <= 0 || text === "") return "";
  if (text.length <= chars) return text.trim();
  const cut = text.slice(-chars);
  const space = cut.indexOf(" ");
  return (space >= 0 ? cut.slice(space + 1) : cut).trim();
}
