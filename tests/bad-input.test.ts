// Junk on every public POST route answers a 4xx envelope (or OpenAI's error shape), never a 5xx; errors repeat little
// of the input, however large or deeply nested it is.
import { describe, expect, it } from "vitest";
import { DEMO_KEY, TINY_KEY, gatewayUrl, postJson } from "./helpers.ts";

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

  it("answers 400 to a body nested thousands of levels deep on every POST route, an unknown tool's args included", async () => {
    const deep = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const bodies = [
      `{"tool":"no_such_tool","args":{"a":${deep(3000)}}}`,
      `{"tool":"summarize","args":{"text":"hi","a":${deep(3000)}}}`,
      `{"message":"hi","x":${deep(3000)}}`,
      `{"query":"q","filter":${'{"a":'.repeat(3000)}1${"}".repeat(3000)}}`,
      `{"a":${deep(100_000)}}`,
    ];
    const answers: string[] = [];
    for (const route of POST_ROUTES) {
      for (const body of bodies) {
        const response = await fetch(`${gatewayUrl()}${route}`, { method: "POST", headers: { authorization: `Bearer ${DEMO_KEY}`, "content-type": "application/json" }, body });
        const text = await response.text();
        const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
        answers.push(`${route} ${response.status} ${parsed.error?.code}`);
        expect(parsed.error?.message).toMatch(/nests arrays and objects deeper than 64 levels/);
      }
    }
    expect(answers).toEqual(POST_ROUTES.flatMap((route) => bodies.map(() => `${route} 400 invalid_request`)));
  });

  it("repeats at most a few hundred bytes of a 300 KB bad field in the error", async () => {
    const big = "x".repeat(300_000);
    const cases: [string, unknown][] = [
      ["/v1/chat", { message: "hi", [big]: 1 }],
      ["/v1/chat", { messages: [{ role: big, content: "hi" }] }],
      ["/v1/chat/completions", { model: "m", messages: [{ role: big, content: "hi" }] }],
      ["/v1/embeddings", { input: "hi", encoding_format: big }],
      ["/v1/ingest", { documents: [{ id: big, text: "hello" }] }],
      ["/v1/ingest", { documents: [{ id: "doc", text: "hello", metadata: { [big]: "v" } }] }],
      ["/v1/search", { query: "q", filter: { [big]: "v" } }],
      ["/v1/tools/execute", { tool: big }],
      ["/v1/tts", { text: "hi", voice: big }],
    ];
    const sizes: string[] = [];
    for (const [route, body] of cases) {
      const response = await fetch(`${gatewayUrl()}${route}`, { method: "POST", headers: { authorization: `Bearer ${DEMO_KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      const text = await response.text();
      expect(response.status, `${route} ${text.slice(0, 200)}`).toBe(400);
      if (text.length > 2048) sizes.push(`${route}: ${text.length} bytes`);
    }
    expect(sizes).toEqual([]);
  });

  it("says which budget ran out in words: daily", async () => {
    // One request whose estimate alone is over the tiny tenant's 3,000 tokens a day: refused before anything is spent.
    const res = await postJson("/v1/chat", { message: "word ".repeat(4000), stream: false }, TINY_KEY);
    expect(res.status).toBe(429);
    expect(res.body.error).toMatchObject({ code: "budget_exceeded", message: "this tenant's daily token budget (3000) would be exceeded", details: { period: "day", limit: 3000 } });
  });
});
