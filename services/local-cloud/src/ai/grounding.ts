// The chat twin's grounded answers: finds numbered context passages ("[1] ...") in the prompt, picks the
// sentences most relevant to the question and cites them as [n]; says it does not know when none fit.
import { sentences, terms } from "./text.ts";

export interface Passage {
  n: number;
  text: string;
}

export const DONT_KNOW = "I don't know: the provided context does not contain the answer to that question.";

const MARKER = /^\s*\[(\d{1,4})\]\s*(.*)$/;
const QUESTION_LABEL = /^\s*(question|query|user question)\s*:/i;
const MAX_SENTENCES = 3;

/** Passages in the text: a line starting with [n] and the lines that follow it up to a blank line or the next marker. */
export function findPassages(text: string): Passage[] {
  const passages: Passage[] = [];
  let current: Passage | undefined;
  for (const line of text.split("\n")) {
    const marker = MARKER.exec(line);
    if (marker) {
      current = { n: Number(marker[1]), text: marker[2]!.trim() };
      passages.push(current);
    } else if (current && line.trim() !== "" && !QUESTION_LABEL.test(line)) {
      current.text += "\n" + line.trim();
    } else {
      current = undefined;
    }
  }
  return passages.filter((p) => p.text !== "");
}

/** The question in a user message: passages removed, and only what follows a "Question:" label if there is one. */
export function extractQuestion(text: string): string {
  const lines = text.split("\n");
  const labelled = lines.findLastIndex((l) => QUESTION_LABEL.test(l));
  if (labelled >= 0) {
    return lines.slice(labelled).join("\n").replace(QUESTION_LABEL, "").trim();
  }
  const passageLines = new Set<number>();
  let inPassage = false;
  lines.forEach((line, i) => {
    if (MARKER.test(line)) inPassage = true;
    else if (line.trim() === "") inPassage = false;
    if (inPassage) passageLines.add(i);
  });
  return lines
    .filter((_, i) => !passageLines.has(i))
    .filter((l) => !/^\s*(context|sources|documents)\s*:\s*$/i.test(l))
    .join("\n")
    .trim();
}

/** Whether a prompt announces a context section (so an empty one means "answer that you don't know"). */
export function announcesContext(text: string): boolean {
  return /(^|\n)\s*(context|sources|documents)\s*:/i.test(text) || /<context>/i.test(text);
}

/** The grounded answer: the best sentences, each followed by the number of its passage. */
export function groundedAnswer(question: string, passages: Passage[]): string {
  const queryTerms = [...new Set(terms(question))];
  if (queryTerms.length === 0 || passages.length === 0) return DONT_KNOW;
  const passageTerms = passages.map((p) => new Set(terms(p.text)));
  const weight = new Map(
    queryTerms.map((t) => {
      const df = passageTerms.filter((set) => set.has(t)).length;
      return [t, 1 + Math.log((passages.length + 1) / (df + 0.5))];
    }),
  );
  const candidates: { sentence: string; n: number; score: number; order: number }[] = [];
  passages.forEach((passage, p) => {
    sentences(passage.text).forEach((sentence, s) => {
      const present = new Set(terms(sentence));
      let score = 0;
      for (const t of queryTerms) if (present.has(t)) score += weight.get(t)!;
      if (score > 0) candidates.push({ sentence, n: passage.n, score: score / (1 + 0.01 * sentence.length), order: p * 1000 + s });
    });
  });
  if (candidates.length === 0) return DONT_KNOW;
  candidates.sort((a, b) => b.score - a.score || a.order - b.order);
  const best = candidates[0]!.score;
  const chosen = candidates.filter((c) => c.score >= best * 0.5).slice(0, MAX_SENTENCES);
  return chosen.map((c) => cite(c.sentence, c.n)).join(" ");
}

function cite(sentence: string, n: number): string {
  const match = /^(.*?)([.!?]*)$/s.exec(sentence.trim())!;
  return `${match[1]} [${n}]${match[2] || "."}`;
}
