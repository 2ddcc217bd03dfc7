// Lightweight query rewriting and intent detection: politeness and filler go, contractions expand, keywords are
// picked for the keyword side, and the question's intent is named from its wording.
import { stopwordsWith, words, type Intent } from "@platform/shared";

export interface RewrittenQuery {
  original: string;
  /** The query for the semantic side and the answer prompt. */
  rewritten: string;
  /** Content words for the keyword side, in order, without duplicates. */
  keywords: string[];
  intent: Intent;
}

/** The shared stopwords plus the filler of questions ("tell me", "I want", "the thing"). */
export const STOPWORDS = stopwordsWith("please tell explain show know want need like get got way ways thing things something anything vs versus");

const GREETING = /^(?:(?:hey|hi|hello|ok|okay|so|well|please|pls)\b[\s,!.]*)+/i;
const LEAD_IN = [
  /^(?:can|could|would|will) you (?:please )?(?:tell me|explain(?: to me)?|show me|help me(?: understand)?|let me know)\b[\s,:]*/i,
  /^(?:i (?:want|would like|'d like|need) to (?:know|understand|learn)|i'?m (?:wondering|curious)|i wonder|do you know|tell me|explain(?: to me)?|show me|help me understand)\b[\s,:]*/i,
];
const TRAILING = /(?:[\s,.!?]*\b(?:please|thanks|thank you|thx))*[\s.!?]*$/i;
const CONTRACTIONS: [RegExp, string][] = [
  [/\bcan't\b/gi, "cannot"],
  [/\bwon't\b/gi, "will not"],
  [/\b(\w+)n't\b/gi, "$1 not"],
  [/\b(what|how|where|who|when|why|it|that|there)'s\b/gi, "$1 is"],
  [/\b(\w+)'re\b/gi, "$1 are"],
  [/\b(\w+)'ve\b/gi, "$1 have"],
  [/\b(\w+)'ll\b/gi, "$1 will"],
  [/\b(i|you|we|they)'d\b/gi, "$1 would"],
  [/\bi'm\b/gi, "i am"],
];
const INTENTS: [Intent, RegExp][] = [
  ["comparison", /\b(vs\.?|versus|compare[sd]?|comparison|difference between|differences between|better than|or should i)\b/],
  ["troubleshooting", /\b(error|errors|fail(s|ed|ing|ure)?|broken|not working|does not work|do not work|cannot|unable|issue|problem|crash(es|ed)?|fix|troubleshoot\w*|wrong|stuck|not (work|arriv|load|show|receiv|connect|open|start|sync|send|sav)\w*)\b/],
  ["how_to", /^(how (do|can|should|would|to)|how does one|steps? (to|for)|guide to|instructions? (for|to)|way to)\b|\bhow to\b/],
];
// "What is a workspace" defines; "what is the refund window for annual plans" asks a question.
const DEFINITION = /^(?:(?:what|who) (?:is|are|was|were) (?:a |an |the )?(\S+(?: \S+){0,2})|define \S+|(?:definition|meaning) of \S+|what does .+ mean)$/;

/** The query as cache keys see it: Unicode-normalised, lowercased, single-spaced, without trailing punctuation. */
export function normalizeQuery(query: string): string {
  return query.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").replace(/[\s.!?]+$/, "").trim();
}

export function rewriteQuery(query: string): RewrittenQuery {
  const original = query.trim();
  let text = original.normalize("NFKC").replace(/[’‘]/g, "'").replace(/\s+/g, " ");
  for (const [pattern, replacement] of CONTRACTIONS) text = text.replace(pattern, replacement);
  text = text.replace(GREETING, "");
  for (const lead of LEAD_IN) text = text.replace(lead, "");
  text = text.replace(TRAILING, "").trim();
  const rewritten = text === "" ? original : text;
  const lower = rewritten.toLowerCase();
  const intent =
    INTENTS.find(([, pattern]) => pattern.test(lower))?.[0] ?? (DEFINITION.test(lower) ? "definition" : /\?$/.test(original) || words(lower).length > 4 ? "question" : "lookup");
  return { original, rewritten, keywords: keywords(rewritten), intent };
}

export const MAX_KEYWORDS = 16;

/** "how long", "how much", "how many", "how often", "how far": the second word asks, it is not a topic. */
const HOW_WORDS = new Set(["long", "much", "many", "often", "far", "soon"]);

export function keywords(text: string): string[] {
  const all = [...new Set(words(text))];
  const asked = new Set(words(text).filter((w, i, ws) => HOW_WORDS.has(w) && ws[i - 1] === "how"));
  const content = all.filter((w) => !STOPWORDS.has(w) && !asked.has(w) && (w.length > 1 || /\d/.test(w)));
  return (content.length > 0 ? content : all).slice(0, MAX_KEYWORDS);
}
