// Chat sessions over HTTP: history paging, tenant isolation, deletion, client disconnects and concurrent appends.
import { describe, expect, it } from "vitest";
import { chatRequest, history, readEvents } from "./chat-sse.ts";
import { call, eventually, postJson, testTenant, uniqueId } from "./helpers.ts";

const KEY = testTenant("test-chat-sessions").key;
const OTHER_KEY = testTenant("test-chat-sessions-other").key;

describe("chat sessions", () => {
  it("answers 404 for another tenant's session", async () => {
    const sessionId = uniqueId("iso");
    await readEvents(await chatRequest({ sessionId, message: "private to this tenant" }, KEY));
    expect((await history(sessionId, KEY)).status).toBe(200);
    const other = await history(sessionId, OTHER_KEY);
    expect(other.status).toBe(404);
    expect(other.body.error?.code).toBe("not_found");
  });

  it("answers 404 for a session that never had messages", async () => {
    const res = await history(uniqueId("never"), KEY);
    expect(res.status).toBe(404);
    expect((await call(`/v1/chat/${uniqueId("never")}`, { method: "DELETE", key: KEY })).status).toBe(404);
  });

  it("answers 400 for a malformed session id in the path", async () => {
    expect((await history("bad.id", KEY)).status).toBe(400);
    expect((await history("a".repeat(129), KEY)).status).toBe(400);
  });

  it("empties the history on DELETE", async () => {
    const sessionId = uniqueId("del");
    await postJson("/v1/chat", { sessionId, message: "forget me", stream: false }, KEY);
    expect((await history(sessionId, KEY)).body.data!.messages).toHaveLength(2);
    const deleted = await call(`/v1/chat/${sessionId}`, { method: "DELETE", key: KEY });
    expect(deleted.status).toBe(200);
    const after = await history(sessionId, KEY);
    expect(after.body.data).toEqual({ messages: [], nextCursor: null });
  });

  it("pages the history oldest first with a cursor", async () => {
    const sessionId = uniqueId("page");
    for (const message of ["one", "two", "three"]) await postJson("/v1/chat", { sessionId, message, stream: false }, KEY);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await history(sessionId, KEY, `?limit=4${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      expect(res.body.data!.messages.length).toBeLessThanOrEqual(4);
      seen.push(...res.body.data!.messages.map((m) => `${m.role}:${m.role === "user" ? m.content : ""}`));
      cursor = res.body.data!.nextCursor;
      pages++;
    } while (cursor && pages < 5);
    expect(pages).toBe(2);
    expect(seen).toEqual(["user:one", "assistant:", "user:two", "assistant:", "user:three", "assistant:"]);
  });

  it("rejects a bad limit or cursor with 400", async () => {
    const sessionId = uniqueId("q");
    for (const query of ["?limit=0", "?limit=abc", "?limit=1000", "?cursor=xyz"]) {
      expect((await history(sessionId, KEY, query)).status).toBe(400);
    }
  });

  it("stores what was generated, marked incomplete, when the client disconnects mid-stream", async () => {
    const sessionId = uniqueId("abort");
    const abort = new AbortController();
    // A long question gets a long answer, so the stream is still running when the client leaves.
    const message = `Tell me everything about ${"refund policy and annual plans ".repeat(100)}`;
    const response = await chatRequest({ sessionId, message }, KEY, { signal: abort.signal });
    const seen = await readEvents(response, (e) => e.event === "message");
    const first = seen.find((e) => e.event === "message");
    expect(first).toBeDefined();
    abort.abort();

    const assistant = await eventually(async () => {
      const found = (await history(sessionId, KEY)).body.data?.messages.find((m) => m.role === "assistant");
      expect(found).toBeDefined();
      return found;
    });
    expect(assistant!.incomplete).toBe(true);
    expect(assistant!.content.length).toBeGreaterThan(0);
    expect(assistant!.content.startsWith(String(first!.data.content))).toBe(true);
  });

  it("loses no message when ten chats append to one session at once", async () => {
    const sessionId = uniqueId("concurrent");
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => postJson("/v1/chat", { sessionId, message: `parallel ${i}`, stream: false }, KEY)),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const res = await history(sessionId, KEY, "?limit=50");
    const messages = res.body.data!.messages;
    expect(messages).toHaveLength(20);
    expect(messages.filter((m) => m.role === "user").map((m) => m.content).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `parallel ${i}`).sort());
    expect(new Set(messages.map((m) => m.id)).size).toBe(20);
  });
});
