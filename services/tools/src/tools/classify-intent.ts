// classify_intent: which of a set of labels a message means (by default a support desk's intents). The model answers
// in JSON and must pick one of the labels; keyword rules answer when it does not.
import * as v from "valibot";
import { untrustedMessages } from "../guards.ts";
import { askJson } from "../model.ts";
import { contentWords, stem, words } from "../text.ts";
import { defineTool } from "../tool.ts";

export const DEFAULT_INTENTS = ["question", "how_to", "troubleshooting", "complaint", "purchase", "cancellation", "feedback", "greeting", "other"] as const;

const Label = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_ -]{0,39}$/, "labels are 1-40 lowercase letters, digits, _, - or spaces"));

export const classifyIntent = defineTool({
  name: "classify_intent",
  description: `Classify what a message wants, as one of the given labels (default: ${DEFAULT_INTENTS.join(", ")}). Returns { label, confidence, method }.`,
  input: v.strictObject({
    text: v.pipe(v.string(), v.minLength(1), v.maxLength(8_000), v.description("The message to classify.")),
    labels: v.optional(v.pipe(v.array(Label), v.minLength(2), v.maxLength(20), v.description("The labels to choose from."))),
  }),
  scopes: ["tools"],
  limits: { maxInputBytes: 16 * 1024, maxOutputBytes: 2 * 1024, timeoutMs: 20_000 },
  async handler(_ctx, args, deps) {
    const labels: readonly string[] = args.labels ?? DEFAULT_INTENTS;
    const messages = untrustedMessages(
      "You classify the intent of messages.",
      `Which one of these labels fits the message below best: ${labels.join(", ")}? Answer with JSON only: {"label":"<one of the labels>","confidence":<0..1>}.`,
      args.text,
    );
    const schema = v.object({ label: v.picklist(labels), confidence: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))) });
    const answer = await askJson(deps, messages, schema, 60);
    if (answer.value) return { label: answer.value.label, confidence: answer.value.confidence ?? 0.5, method: "model" };
    return { ...ruleIntent(args.text, labels), method: "rules" };
  },
});

const PATTERNS: Record<string, RegExp> = {
  cancellation: /\b(cancel\w*|unsubscribe\w*|terminate|close my account|stop (?:my|the) (?:plan|subscription))\b/i,
  complaint: /\b(unacceptable|terrible|awful|disappointed|frustrat\w*|angry|worst|complain\w*|ridiculous|refund me)\b/i,
  troubleshooting: /\b(error|errors|broken|crash\w*|fail\w*|not working|doesn'?t work|won'?t|bug|issue|problem|stuck|timeout)\b/i,
  purchase: /\b(buy|purchase|pricing|price|quote|order|upgrade|subscribe|plan costs?|how much)\b/i,
  how_to: /\b(how (?:do|can|to|should)|steps? to|guide|tutorial|set ?up|configure|install)\b/i,
  feedback: /\b(suggest\w*|feedback|would be (?:nice|great)|love|great job|feature request|idea)\b/i,
  greeting: /^\s*(hi|hello|hey|good (?:morning|afternoon|evening)|greetings)\b[\s!,.]*$/i,
  question: /\?\s*$|^\s*(what|who|when|where|why|which|is|are|does|do|can|could|will)\b/i,
};

/** Deterministic intent: the default intents by keyword patterns in priority order; other labels by shared words. */
export function ruleIntent(text: string, labels: readonly string[]): { label: string; confidence: number } {
  for (const [label, pattern] of Object.entries(PATTERNS)) {
    if (labels.includes(label) && pattern.test(text)) return { label, confidence: 0.6 };
  }
  const terms = new Set(contentWords(text).map(stem));
  let best: { label: string; score: number } | undefined;
  for (const label of labels) {
    const labelTerms = words(label.replace(/_/g, " ")).map(stem);
    const score = labelTerms.filter((t) => terms.has(t)).length / Math.max(1, labelTerms.length);
    if (score > 0 && (!best || score > best.score)) best = { label, score };
  }
  if (best) return { label: best.label, confidence: Math.round(Math.min(0.9, 0.3 + 0.5 * best.score) * 100) / 100 };
  return { label: labels.includes("other") ? "other" : labels[0]!, confidence: 0.1 };
}
