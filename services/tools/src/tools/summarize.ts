// summarize: a short summary of a text by the tenant's chat model, the text passed as delimited untrusted data.
import * as v from "valibot";
import { untrustedMessages } from "../guards.ts";
import { defineTool } from "../tool.ts";

export const summarize = defineTool({
  name: "summarize",
  description: "Summarize a text in a few sentences. Returns { summary, model }.",
  input: v.strictObject({
    text: v.pipe(v.string(), v.minLength(1), v.maxLength(60_000), v.description("The text to summarize.")),
    maxSentences: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10), v.description("At most this many sentences (default 3).")), 3),
  }),
  scopes: ["tools"],
  limits: { maxInputBytes: 64 * 1024, maxOutputBytes: 8 * 1024, timeoutMs: 30_000 },
  async handler(_ctx, args, deps) {
    const messages = untrustedMessages(
      "You write faithful, neutral summaries.",
      `Summarize the text below in at most ${args.maxSentences} sentences. Answer with the summary only.`,
      args.text,
    );
    const answer = await deps.chat({ messages, max_tokens: 120 * args.maxSentences, temperature: 0 });
    return { summary: answer.content.trim(), model: answer.model };
  },
});
