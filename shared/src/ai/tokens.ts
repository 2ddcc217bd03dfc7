// Token counts: the model's reported usage, or an estimate at 4 characters a token for what it left out.
import { isRecord } from "../util/is-record.ts";
import type { AiMessage, TokenUsage } from "./types.ts";

export const DEFAULT_MAX_TOKENS = 1024;

export const ZERO_USAGE: TokenUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };

export const estimateTokens = (chars: number): number => Math.ceil(chars / 4);

export function promptChars(messages: readonly AiMessage[]): number {
  return messages.reduce((sum, m) => sum + m.content.length, 0);
}

/** The gateway's worst-case reservation for a chat call: prompt chars / 4 plus the completion allowance. */
export function estimateChatTokens(messages: readonly AiMessage[], maxTokens?: number): number {
  return estimateTokens(promptChars(messages)) + (maxTokens ?? DEFAULT_MAX_TOKENS);
}

/** Usage as reported by the model, or estimated at 4 characters a token for whatever it left out. */
export function normalizeUsage(raw: unknown, promptCharCount: number, completionText: string): TokenUsage {
  const usage = isRecord(raw) ? raw : {};
  const prompt = tokenCount(usage.prompt_tokens) ?? estimateTokens(promptCharCount);
  const completion = tokenCount(usage.completion_tokens) ?? estimateTokens(completionText.length);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** Usage of a call that only reads (embeddings, rerank): prompt tokens, no completion. */
export function inputUsage(tokens: number): TokenUsage {
  return { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens };
}

/** The sum of several calls' usage. */
export function sumUsage(...usages: readonly TokenUsage[]): TokenUsage {
  return usages.reduce(
    (sum, u) => ({ prompt_tokens: sum.prompt_tokens + u.prompt_tokens, completion_tokens: sum.completion_tokens + u.completion_tokens, total_tokens: sum.total_tokens + u.total_tokens }),
    ZERO_USAGE,
  );
}

/** A token count the model reported, when it is one. */
export function tokenCount(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}
