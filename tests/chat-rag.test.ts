// Retrieval-grounded chat, end to end: a document ingested through the gateway is retrieved for the question,
// streamed as the `sources` event before the text, and cited as [n] in the answer.
import type { ChatSource as Source } from "@platform/shared";
import { beforeAll, describe, expect } from "vitest";
import { chatRequest, readEvents } from "./chat-sse.ts";
import { postJson, testTenant, twinOnly, uniqueId } from "./helpers.ts";

const KEY = testTenant("test-chat-rag").key;

const docId = uniqueId("ragdoc");
const word = `zephyrine${crypto.randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  const res = await postJson(
    "/v1/ingest",
    {
      documents: [
        {
          id: docId,
          title: "Harbour permits",
          url: "https://docs.example/harbour-permits",
          contentType: "text/markdown",
          text: `# Harbour permits\n\nA ${word} permit lets a boat stay in the inner harbour for thirty days. The harbour office renews a ${word} permit within two working days.\n\n## Fees\n\nMooring costs twelve euros a night.`,
        },
      ],
    },
    KEY,
  );
  expect(res.status).toBe(200);
});

describe("POST /v1/chat with rag: true", () => {
  twinOnly.it("streams sources before the text and cites them as [n]", async () => {
    const events = await readEvents(await chatRequest({ message: `How long does a ${word} permit let a boat stay?`, rag: true }, KEY));
    const names = events.map((e) => e.event);
    expect(names[0]).toBe("meta");
    expect(names[1]).toBe("sources");
    expect(names.indexOf("message")).toBeGreaterThan(1);
    expect(names.at(-1)).toBe("done");
    const sources = events[1]!.data as unknown as Source[];
    expect(Array.isArray(sources)).toBe(true);
    expect(sources.length).toBeGreaterThan(0);
    const ours = sources.find((s) => s.docId === docId)!;
    expect(ours).toMatchObject({ n: expect.any(Number), chunkId: expect.any(String), title: "Harbour permits", url: "https://docs.example/harbour-permits", snippet: expect.stringContaining(word), score: expect.any(Number) });
    expect(sources.map((s) => s.n)).toEqual(sources.map((_, i) => i + 1));
    const answer = events.filter((e) => e.event === "message").map((e) => e.data.content).join("");
    expect(answer).toContain("thirty days");
    expect(answer).toContain(`[${ours.n}]`);
  });

  twinOnly.it("returns sources with the JSON answer", async () => {
    const res = await postJson("/v1/chat", { message: `Who renews a ${word} permit?`, rag: true, stream: false }, KEY);
    expect(res.status).toBe(200);
    const data = res.body.data as { content: string; sources: Source[]; usage: { total_tokens: number } };
    const ours = data.sources.find((s) => s.docId === docId)!;
    expect(ours).toBeDefined();
    expect(data.content).toMatch(/\[\d+\]/);
    expect(data.content).toContain(`[${ours.n}]`);
  });

  twinOnly.it("says it does not know when the documents hold no answer", async () => {
    const res = await postJson("/v1/chat", { message: "qwxzv plorkt frandle?", rag: true, stream: false }, KEY);
    expect(res.status).toBe(200);
    expect((res.body.data as { content: string }).content).toMatch(/don't know/i);
  });

  twinOnly.it("combines rag and tools in one turn", async () => {
    const events = await readEvents(await chatRequest({ message: `use search_documents: ${word} permit`, rag: true, tools: true }, KEY));
    const names = events.map((e) => e.event);
    expect(names.slice(0, 3)).toEqual(["meta", "sources", "tool_call"]);
    const result = events.find((e) => e.event === "tool_result")!.data as { ok: boolean; result: { results: { docId: string }[] } };
    expect(result.ok).toBe(true);
    expect(result.result.results.some((r) => r.docId === docId)).toBe(true);
    expect(names.at(-1)).toBe("done");
  });
});
