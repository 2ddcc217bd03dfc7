// Body reading: nesting past the bound is refused from the text, before anything walks the parsed value.
import { describe, expect, it } from "vitest";
import { AppError } from "@platform/shared";
import { exceedsDepth, MAX_JSON_DEPTH, readBody, readJson } from "./body.ts";

const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const post = (body: string) => new Request("https://gateway.test/v1/chat", { method: "POST", body });

describe("exceedsDepth", () => {
  it("counts arrays and objects together", () => {
    expect(exceedsDepth('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(exceedsDepth('{"a":[{"b":[1]}]}', 3)).toBe(true);
  });

  it("skips brackets inside strings, escaped quotes included", () => {
    expect(exceedsDepth(JSON.stringify({ text: `[[[{{{ "\\" ${"[".repeat(100)}` }), 1)).toBe(false);
  });
});

describe("readJson", () => {
  it("parses a body nested exactly to the bound", async () => {
    expect(await readJson(post(nested(MAX_JSON_DEPTH)), 1_000_000)).toBeInstanceOf(Array);
  });

  it("refuses deeper nesting with invalid_request, however deep", async () => {
    for (const depth of [MAX_JSON_DEPTH + 1, 3000, 100_000]) {
      const error = await readJson(post(`{"tool":"x","args":{"a":${nested(depth)}}}`), 1_000_000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).body).toEqual({ code: "invalid_request", message: `request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels` });
    }
  });
});

describe("readBody", () => {
  const sized = (body: string, length = body.length) => new Request("https://gateway.test/v1/chat", { method: "POST", body, headers: { "content-length": String(length) } });
  const streamed = (body: string) =>
    new Request("https://gateway.test/v1/chat", { method: "POST", body: new Blob([body]).stream(), duplex: "half" } as RequestInit);

  it("reads a body of declared length in one piece, and a streamed one chunk by chunk, alike", async () => {
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    expect(decode(await readBody(sized('{"message":"hi"}'), 100, "missing"))).toBe('{"message":"hi"}');
    expect(decode(await readBody(streamed('{"message":"hi"}'), 100, "missing"))).toBe('{"message":"hi"}');
  });

  it("refuses past the limit with 413 whether the length is declared or only read", async () => {
    for (const request of [sized("x".repeat(101)), streamed("x".repeat(101))]) {
      const error = await readBody(request, 100, "missing").catch((e: unknown) => e);
      expect((error as AppError).body.code).toBe("payload_too_large");
    }
  });
});
