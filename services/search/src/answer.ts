// The cited answer: the shared RAG prompt of numbered passages, the model's answer through the shared AI path, and
// the check of its [n] citations against the sources (unknown numbers are removed).
import { RAG_PASSAGE_CHARS, ragSystemMessage, runChat, SEARCH_LIMITS, type AiMessage, type AiRunner, type RequestContext, type RetrievedChunk, type TokenUsage } from "@platform/shared";

/** Below this confidence score the closest passages are unrelated and not worth naming. */
const UNRELATED = 0.2;
const DONT_KNOW = /\b(i (do not|don't) know|(does not|doesn't|do not|don't) (contain|say|mention)|no information|not (mentioned|covered)|cannot (find|answer)|can't (find|answer))\b/i;

/** A passage's text led by its section, which names what the text is about (a list under "When the email does not
 * arrive" answers that question); list markers go, since the prompt puts each passage on one line. */
export function passageText(chunk: RetrievedChunk): string {
  const section = chunk.headings.at(-1);
  const lead = section && section !== chunk.title ? `${section.replace(/[:.\s]+$/, "")}: ` : "";
  return lead + chunk.text.replace(/^\s*(?:[-*+]|\d{1,3}[.)])\s+/gm, "");
}

export function passageSource(chunk: RetrievedChunk): string {
  const source = [chunk.title ?? chunk.docId, ...chunk.headings].filter((h, i, all) => h && all.indexOf(h) === i).join(" > ");
  return typeof chunk.metadata.page === "number" ? `${source}, page ${chunk.metadata.page}` : source;
}

/** The platform's one RAG prompt (shared/src/rag-prompt.ts) with the passages, led by the tenant's answer prompt if it
 * has one, then the question as the user's. */
export function answerMessages(question: string, chunks: readonly RetrievedChunk[], tenantPrompt?: string): AiMessage[] {
  const passages = chunks.map((c) => ({ text: passageText(c), source: passageSource(c) }));
  return [ragSystemMessage(passages, RAG_PASSAGE_CHARS, tenantPrompt), { role: "user", content: question }];
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
  const result = await runChat({ ai, ctx, service: "search" }, { messages: answerMessages(question, chunks, ctx.tenant.prompts?.answer), max_tokens: SEARCH_LIMITS.answerMaxTokens, temperature: 0 });
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
