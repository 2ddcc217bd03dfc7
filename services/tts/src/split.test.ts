// Text splitting for providers' per-call limits: sentence boundaries first, then clauses, words, and finally characters.
import { describe, expect, it } from "vitest";
import { countChars } from "@platform/shared";
import { splitText } from "./split.ts";

const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe("splitText", () => {
  it("keeps text within the limit as one part, trimmed", () => {
    expect(splitText("  Hello there.  ", 100)).toEqual(["Hello there."]);
  });

  it("splits at sentence boundaries and packs whole sentences into each part", () => {
    const text = "One two three. Four five six! Seven eight nine? Ten eleven twelve.";
    const parts = splitText(text, 32);
    expect(parts).toEqual(["One two three. Four five six!", "Seven eight nine?", "Ten eleven twelve."]);
  });

  it("never exceeds the limit and loses no words", () => {
    const text = Array.from({ length: 200 }, (_, i) => `Sentence ${i} has, in its middle; a clause or two and then ends.`).join(" ");
    const parts = splitText(text, 150);
    for (const part of parts) expect(countChars(part)).toBeLessThanOrEqual(150);
    expect(words(parts.join(" "))).toEqual(words(text));
  });

  it("breaks a sentence longer than the limit at clauses, then between words", () => {
    const sentence = "first clause here, second clause here; third clause here and it goes on and on without a stop";
    const parts = splitText(sentence, 40);
    expect(parts[0]).toBe("first clause here, second clause here;");
    for (const part of parts) expect(countChars(part)).toBeLessThanOrEqual(40);
    expect(words(parts.join(" "))).toEqual(words(sentence));
  });

  it("cuts a word longer than the limit, counting characters rather than UTF-16 units", () => {
    const parts = splitText("😀".repeat(25), 10);
    expect(parts.map(countChars)).toEqual([10, 10, 5]);
    expect(parts.join("")).toBe("😀".repeat(25));
  });

  it("splits text without spaces (Chinese) at its sentence marks", () => {
    const text = "今天天气很好。我们去公园散步吧！你觉得怎么样？";
    expect(splitText(text, 10)).toEqual(["今天天气很好。", "我们去公园散步吧！", "你觉得怎么样？"]);
  });
});
