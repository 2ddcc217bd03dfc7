// Suggested follow-up questions from what was found: sections next to the answer, and (when the evidence holds up)
// the natural next step for the question's intent. No model call.
import { stem, words, type ConfidenceLevel, type Intent, type RetrievedChunk } from "@platform/shared";
import { keywords as contentWords } from "./query-rewrite.ts";

const MAX_FOLLOW_UPS = 3;

const NEXT_STEP: Record<Intent, (topic: string) => string> = {
  definition: (t) => `How do I use ${t}?`,
  how_to: (t) => `What are common problems with ${t}?`,
  troubleshooting: (t) => `How can I prevent problems with ${t}?`,
  comparison: (t) => `When should I choose each option for ${t}?`,
  lookup: (t) => `What is ${t}?`,
  question: (t) => `What else should I know about ${t}?`,
};

export function followUps(query: string, keywords: readonly string[], intent: Intent, chunks: readonly RetrievedChunk[], confidence: ConfidenceLevel): string[] {
  const topic = keywords.slice(0, 3).join(" ");
  const asked = new Set(words(query).map(stem));
  const out: string[] = [];
  const add = (q: string) => {
    if (out.length < MAX_FOLLOW_UPS && !out.some((o) => o.toLowerCase() === q.toLowerCase()) && q.toLowerCase() !== query.toLowerCase()) out.push(q);
  };
  for (const chunk of chunks) {
    const section = chunk.headings.at(-1) ?? chunk.title;
    if (!section) continue;
    // A section whose words the question already has adds nothing new.
    if (contentWords(section).every((w) => asked.has(stem(w)))) continue;
    add(chunk.title && chunk.title !== section ? `What does "${chunk.title}" say about ${lowerFirst(section)}?` : `Tell me more about ${lowerFirst(section)}.`);
    if (out.length >= MAX_FOLLOW_UPS - 1) break;
  }
  // With weak evidence the next step of the question would lead nowhere: the sections found show what there is.
  if (topic && (confidence === "high" || confidence === "medium")) add(NEXT_STEP[intent](topic));
  return out;
}

/** Sentence-case headings read lowercase mid-sentence ("when the email does not arrive"); names ("Northwind Sync Hub", "API keys") stay. */
function lowerFirst(text: string): string {
  const [first = "", second] = text.split(/\s+/);
  const sentenceCase = /^\p{Lu}\p{Ll}*$/u.test(first) && (second === undefined || !/^\p{Lu}/u.test(second));
  return sentenceCase ? text[0]!.toLowerCase() + text.slice(1) : text;
}
