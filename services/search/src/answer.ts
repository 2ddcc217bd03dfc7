// The cited answer: a prompt of numbered passages, the model's answer through the shared AI path, and the check of
// its [n] citations against the sources (unknown numbers are removed).
import { runChat, SEARCH_LIMITS, type AiRunner, type RequestContext, type RetrievedChunk, type TokenUsage } from "@platform/shared";

export const SYSTEM_PROMPT =
  "You answer questions using only the numbered context passages. Cite the passage behind every statement with its " +
  "number in square brackets, like [1]. If the passages do not contain the answer, say that you don't know; never " +
  "invent facts. Be concise.";

/** Below this confidence score the closest passages are unrelated and not worth naming. */
const UNRELATED = 0.2;
/** Characters of a passage the prompt carries. */
const PASSAGE_CHARS = 1500;
const DONT_KNOW = /\b(i (do not|don't) know|(does not|doesn't|do not|don't) (contain|say|mention)|no information|not (mentioned|covered)|cannot (find|answer)|can't (find|answer))\b/i;

/**
 * A passage on one line: "[n] Section: text". The section names what the text is about (a list under "When the
 * email does not arrive" answers that question); the full title and heading path go in a legend above.
 */
export function passageLine(n: number, chunk: RetrievedChunk): string {
  const section = chunk.headings.at(-1);
  const lead = section && section !== chunk.title ? `${section.replace(/[:.\s]+$/, "")}: ` : "";
  const text = lead + chunk.text
    .replace(/^\s*(?:[-*+]|\d{1,3}[.)])\s+/gm, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, PASSAGE_CHARS);
  return `[${n}] ${text}`;
}

export function sourceLine(n: number, chunk: RetrievedChunk): string {
  const context = [chunk.title ?? chunk.docId, ...chunk.headings].filter((h, i, all) => h && all.indexOf(h) === i).join(" > ");
  return `Passage ${n} is from: ${context}`;
}

export function answerMessages(question: string, chunks: readonly RetrievedChunk[]) {
  const legend = chunks.map((c, i) => sourceLine(i + 1, c)).join("\n");
  const context = chunks.map((c, i) => passageLine(i + 1, c)).join("\n\n");
  return [
    { role: "system", content: SYSTEM_PROMPT },
    { role: "user", content: `${legend}\n\nContext:\n${context}\n\nQuestion: ${question}` },
  ];
}

export interface Citations {
  text: string;
  cited: Set<number>;
}

/** Keeps citations of passages that exist and drops the rest. */
export function checkCitations(answer: string, sources: number): Citations {
  const cited = new Set<number>();
  const text = answer
    .replace(/\s*\[(\d{1,4})\]/g, (match, n: string) => {
      const number = Number(n);
      if (number >= 1 && number <= sources) {
        cited.add(number);
        return match;
      }
      return "";
    })
    .trim();
  return { text, cited };
}

export const saysDontKnow = (answer: string): boolean => DONT_KNOW.test(answer);

export interface GeneratedAnswer extends Citations {
  usage: TokenUsage;
  model: string;
}

export async function generateAnswer(ai: AiRunner, ctx: RequestContext, question: string, chunks: readonly RetrievedChunk[]): Promise<GeneratedAnswer> {
  const result = await runChat({ ai, ctx, service: "search" }, { messages: answerMessages(question, chunks), max_tokens: SEARCH_LIMITS.answerMaxTokens, temperature: 0 });
  return { ...checkCitations(result.content, chunks.length), usage: result.usage, model: result.model };
}

/** What the answer says when the evidence is too weak to ask the model: it says so, and names the closest passages. */
export function weakEvidenceAnswer(query: string, chunks: readonly RetrievedChunk[], score: number): Citations {
  if (chunks.length === 0 || score < UNRELATED) return { text: `I could not find anything about "${query}" in your documents, so I will not guess.`, cited: new Set() };
  const closest = chunks.slice(0, 2).map((c, i) => `${c.title ?? c.docId} [${i + 1}]`);
  return {
    text: `I could not find a reliable answer to "${query}" in your documents. The closest passages (${closest.join(", ")}) only partly match the question, so I will not guess.`,
    cited: new Set(closest.map((_, i) => i + 1)),
  };
}
