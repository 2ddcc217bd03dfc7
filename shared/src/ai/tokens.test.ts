// Token counts: reported usage with estimates for what is missing, and the chat reservation.
import { describe, expect, it } from "vitest";
import { estimateChatTokens, normalizeUsage } from "./tokens.ts";

describe("usage estimates", () => {
  it("fills in what the model left out", () => {
    expect(normalizeUsage({ prompt_tokens: 10 }, 400, "abcd")).toEqual({ prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 });
    expect(normalizeUsage(undefined, 9, "")).toEqual({ prompt_tokens: 3, completion_tokens: 0, total_tokens: 3 });
  });

  it("reserves prompt characters / 4 plus max_tokens, or 1024 by default", () => {
    expect(estimateChatTokens([{ role: "user", content: "x".repeat(400) }], 100)).toBe(200);
    expect(estimateChatTokens([{ role: "user", content: "x".repeat(400) }])).toBe(1124);
  });
});
