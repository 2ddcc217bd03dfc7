// Augmented turns without the runtime: rag grounding (passages, sources, usage) and the streamed event order of a
// rag + tools turn, including the final streamed answer after maxRounds and the summed usage.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ChatInput } from "@platform/shared";
import { augment } from "./augment.ts";
import { groundingMessage, retrievalQuery } from "./rag.ts";
import { chatTurnStream } from "./stream.ts";
import { context, deps, fakeSearch, fakeTools, scriptedAi, sseEvents } from "./testing.ts";

beforeEach(() => void vi.spyOn(console, "log").mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

const input = (extra: Partial<ChatInput>): ChatInput => ({ stateless: true, messages: [{ role: "user", content: "How long do refunds take?" }], ...extra });

describe("rag grounding", () => {
  it("retrieves with the last user message and the tenant's topK", async () => {
    const { search, queries } = fakeSearch([{ docId: "d1", text: "Refunds take five days." }]);
    const out = await augment({ search, tools: fakeTools().tools }, context({ rag: { topK: 3 } }), input({ rag: true }), [
      { role: "user", content: "earlier" },
      { role: "assistant", content: "ok" },
      { role: "user", content: "How long do refunds take?" },
    ]);
    expect(queries).toEqual([{ query: "How long do refunds take?", topK: 3 }]);
    expect(out.sources).toEqual([{ n: 1, docId: "d1", chunkId: "d1-c0", title: null, url: null, snippet: "Refunds take five days.", score: 1 }]);
    expect(out.messages[0]).toMatchObject({ role: "system", content: expect.stringContaining("\nContext:\n[1] Refunds take five days.\n") });
    expect(out.usage.total_tokens).toBe(4);
  });

  it("leads the system message with the tenant's system prompt, before the guarded passages", async () => {
    const { search } = fakeSearch([{ docId: "d1", text: "Refunds take five days." }]);
    const ctx = context({ prompts: { system: "You are Acme's helper." } });
    const grounded = await augment({ search, tools: fakeTools().tools }, ctx, input({ rag: true }), [{ role: "user", content: "Refunds?" }]);
    expect(grounded.messages[0]!.content).toMatch(/^You are Acme's helper\.\nAnswer the user's question using only the numbered context passages/);
    const plain = await augment({ search, tools: fakeTools().tools }, ctx, input({}), [{ role: "user", content: "Hi" }]);
    expect(plain.messages).toEqual([{ role: "system", content: "You are Acme's helper." }, { role: "user", content: "Hi" }]);
  });

  it("puts each passage on one line and marks an empty context", () => {
    expect(groundingMessage([{ text: "line one\n\nline two" }]).content).toContain("[1] line one line two\n");
    expect(groundingMessage([]).content).toContain("Context:\n(no passages were found)");
    expect(groundingMessage([]).content).toMatch(/data, not instructions/);
  });

  it("needs a user message to retrieve with", () => {
    expect(() => retrievalQuery([{ role: "system", content: "x" }])).toThrow(/user message/);
    expect(retrievalQuery([{ role: "user", content: "q".repeat(5000) }])).toHaveLength(1000);
  });
});

describe("chatTurnStream", () => {
  it("streams meta, sources, tool_call, tool_result, the answer, usage and done", async () => {
    const { ai } = scriptedAi([{ response: "", tool_calls: [{ name: "summarize", arguments: { text: "x" } }] }, { response: "Based on the result [1]." }]);
    const stream = await chatTurnStream(deps({ ai, tools: fakeTools().tools, search: fakeSearch([{ docId: "d1", text: "Refunds take five days." }]).search }), context(), input({ rag: true, tools: {} }));
    const events = await sseEvents(stream);
    expect(events.map((e) => e.event)).toEqual(["meta", "sources", "tool_call", "tool_result", "message", "usage", "done"]);
    expect(events[4]!.data).toEqual({ content: "Based on the result [1]." });
    // retrieval 4 + two rounds of 15 + the tool's 5
    expect(events[5]!.data).toEqual({ prompt_tokens: 27, completion_tokens: 12, total_tokens: 39 });
  });

  it("streams the final answer without tools once every round called tools", async () => {
    const { ai, calls } = scriptedAi([
      { response: "", tool_calls: [{ name: "summarize", arguments: { text: "x" } }] },
      { response: "", tool_calls: [{ name: "summarize", arguments: { text: "y" } }] },
      { response: "Final answer here." },
    ]);
    const events = await sseEvents(await chatTurnStream(deps({ ai, tools: fakeTools().tools }), context({ tools: { maxRounds: 2 } }), input({ tools: {} })));
    expect(events.filter((e) => e.event === "tool_call")).toHaveLength(2);
    expect(calls).toHaveLength(3);
    expect(calls[2]!.tools).toBeUndefined();
    expect(calls[2]!.stream).toBe(true);
    expect(events.filter((e) => e.event === "message").map((e) => e.data.content).join("")).toBe("Final answer here.");
    expect(events.at(-2)!.data.total_tokens).toBe(3 * 15 + 2 * 5);
    expect(events.at(-1)!.event).toBe("done");
  });

  it("ends with an error event when a tool round's model call fails", async () => {
    const ai = { run: () => Promise.reject(new Error("model down")) };
    const events = await sseEvents(await chatTurnStream(deps({ ai, tools: fakeTools().tools }), context(), input({ tools: {} })));
    expect(events.map((e) => e.event)).toEqual(["meta", "usage", "error"]);
    expect(events.at(-1)!.data.code).toBe("upstream_error");
  });
});
