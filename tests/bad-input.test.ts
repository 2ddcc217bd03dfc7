// Junk on every public POST route answers a 4xx envelope (or OpenAI's error shape), never a 5xx.
import { describe, expect, it } from "vitest";
import { DEMO_KEY, gatewayUrl } from "./helpers.ts";

const POST_ROUTES = [
  "/v1/chat",
  "/v1/chat/completions",
  "/v1/embeddings",
  "/v1/ingest",
  "/v1/search",
  "/v1/retrieve",
  "/v1/tools/execute",
  "/v1/tts",
  "/v1/audio/speech",
];

const JUNK = [
  "null",
  "42",
  '"a string"',
  "[]",
  "[1, 2, 3]",
  "{}",
  '{"message": {"nested": true}}',
  '{"messages": "not an array", "documents": 7, "query": [], "tool": 1, "text": false, "input": null}',
  '{"__proto__": {"polluted": true}}',
  `${"[".repeat(2000)}${"]".repeat(2000)}`,
  "\u0000\u0001\u0002",
];

describe("bad input", () => {
  it("answers every junk body on every POST route with a 4xx and an error, never a 5xx", async () => {
    const failures: string[] = [];
    for (const route of POST_ROUTES) {
      for (const body of JUNK) {
        const response = await fetch(`${gatewayUrl()}${route}`, { method: "POST", headers: { authorization: `Bearer ${DEMO_KEY}`, "content-type": "application/json" }, body });
        const text = await response.text();
        const parsed = JSON.parse(text) as { ok?: boolean; error?: unknown };
        if (response.status < 400 || response.status >= 500 || parsed.error === undefined) failures.push(`${route} ${JSON.stringify(body.slice(0, 40))} -> ${response.status} ${text.slice(0, 120)}`);
        expect(response.headers.get("x-trace-id")).toBeTruthy();
      }
    }
    expect(failures).toEqual([]);
  });
});
