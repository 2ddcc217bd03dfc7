// Body reading: nesting past the bound is refused from the text, before anything walks the parsed value.
import { describe, expect, it } from "vitest";
import { AppError } from "@platform/shared";
import { exceedsDepth, MAX_JSON_DEPTH, readJson } from "./body.ts";

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
