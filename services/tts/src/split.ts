// Splits text over a provider's per-call limit at sentence boundaries (then clauses, then words) so the parts read naturally.
import { countChars } from "@platform/shared";

/** Parts of at most `maxChars` characters each, in order, none empty; whitespace between parts is dropped. */
export function splitText(text: string, maxChars: number): string[] {
  const trimmed = text.trim();
  if (countChars(trimmed) <= maxChars) return [trimmed];
  const parts: string[] = [];
  let current = "";
  for (const sentence of sentences(trimmed)) {
    for (const piece of fit(sentence, maxChars)) {
      const joined = glue(current, piece);
      if (current !== "" && countChars(joined.trim()) > maxChars) {
        parts.push(current.trim());
        current = piece;
      } else {
        current = joined;
      }
    }
  }
  parts.push(current.trim());
  return parts.filter((part) => part !== "");
}

export function sentences(text: string): string[] {
  if (typeof Intl.Segmenter === "function") {
    return [...new Intl.Segmenter(undefined, { granularity: "sentence" }).segment(text)].map((s) => s.segment);
  }
  return text.match(/[^.!?…。！？]+(?:[.!?…。！？]+["'”’)\]]*\s*|$)/g) ?? [text];
}

// Separators from the most natural place to break a long sentence to the least; each keeps its text on the left.
const BREAKS = [/(?<=[,;:—–])\s+/, /(?<=\s)/];

/** A sentence as pieces of at most maxChars: broken at clauses, then between words, then anywhere. */
function fit(sentence: string, maxChars: number, level = 0): string[] {
  if (countChars(sentence.trimEnd()) <= maxChars) return [sentence];
  const separator = BREAKS[level];
  if (!separator) return hardCut(sentence, maxChars);
  const pieces = sentence.split(separator).filter((p) => p !== "");
  if (pieces.length <= 1) return fit(sentence, maxChars, level + 1);
  const out: string[] = [];
  let current = "";
  for (const piece of pieces) {
    const joined = glue(current, piece);
    if (current !== "" && countChars(joined.trimEnd()) > maxChars) {
      out.push(...fit(current, maxChars, level + 1));
      current = piece;
    } else {
      current = joined;
    }
  }
  if (current !== "") out.push(...fit(current, maxChars, level + 1));
  return out;
}

/** Two pieces of text with a space between them unless one already has it. */
function glue(left: string, right: string): string {
  if (left === "") return right;
  return /\s$/.test(left) || /^\s/.test(right) ? left + right : `${left} ${right}`;
}

function hardCut(text: string, maxChars: number): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += maxChars) out.push(chars.slice(i, i + maxChars).join(""));
  return out;
}
