// Redaction: a unique secret marker in every free-text field a client can send (chat message, search and retrieve
// queries, ingest text, title, url and metadata, tool arguments, TTS text, x-user-id and other headers) appears
// nowhere in what the mesh prints (its JSON log lines and everything else) nor in the metrics store.
import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { call, eventually, gatewayUrl, isRemote, postJson, testTenant } from "./helpers.ts";
import { waitForJob } from "./fixtures/retrieval-client.ts";
import { adminCsv, OPERATOR_KEY } from "./usage-client.ts";

const { key: KEY } = testTenant("test-redaction");
const MARKER = `SECRETMARKER${crypto.randomUUID().replaceAll("-", "")}`;
const traceIds: string[] = [];

function headers(n: number): Record<string, string> {
  const traceId = `redaction-${n}-${crypto.randomUUID().slice(0, 8)}`;
  traceIds.push(traceId);
  return { "x-trace-id": traceId, "x-user-id": `user-${MARKER}`, "user-agent": `agent-${MARKER}`, "x-request-note": MARKER };
}

describe.skipIf(isRemote)("redaction", () => {
  it("keeps a secret marker sent in every free-text field out of the mesh's output and the metrics", async () => {
    const ingest = await postJson(
      "/v1/ingest",
      { documents: [{ id: "redaction-doc", title: `Title ${MARKER}`, url: `https://example.com/${MARKER}`, text: `# Notes\n\nThe code word is ${MARKER}. Keep it safe.`, metadata: { note: MARKER } }] },
      KEY,
      headers(0),
    );
    expect([200, 202]).toContain(ingest.status);
    if (ingest.status === 202) await waitForJob((ingest.body.data as { jobId: string }).jobId, KEY);
    const calls = [
      postJson("/v1/chat", { message: `Remember ${MARKER} for me`, stream: false }, KEY, headers(1)),
      postJson("/v1/chat", { message: `What is the code word? ${MARKER}`, rag: true, stream: false }, KEY, headers(2)),
      postJson("/v1/search", { query: `code word ${MARKER}` }, KEY, headers(3)),
      postJson("/v1/retrieve", { query: `code word ${MARKER}` }, KEY, headers(4)),
      postJson("/v1/tools/execute", { tool: "summarize", args: { text: `A note that says ${MARKER} twice: ${MARKER}.` } }, KEY, headers(5)),
      postJson("/v1/chat/completions", { model: "@cf/meta/llama-3.1-8b-instruct-fast", messages: [{ role: "user", content: MARKER }] }, KEY, headers(6)),
      // A refused request echoes nothing either (an unknown tool and a bad field carrying the marker).
      postJson("/v1/tools/execute", { tool: "kv_get", args: { name: MARKER, extra: MARKER } }, KEY, headers(7)),
    ];
    for (const res of await Promise.all(calls)) expect(res.status).toBeLessThan(500);
    const tts = await fetch(`${gatewayUrl()}/v1/tts`, { method: "POST", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json", ...headers(8) }, body: JSON.stringify({ text: `Say ${MARKER}` }) });
    await tts.arrayBuffer();

    // Every request's own log line is written (lines are sampled at rate 1 in development), so everything before it is too.
    const logPath = inject("meshLogPath");
    const output = await eventually(() => {
      const text = readFileSync(logPath, "utf8");
      for (const id of traceIds) expect(text).toContain(id);
      return text;
    }, { timeoutMs: 20_000, intervalMs: 250 });
    expect(output.includes(MARKER)).toBe(false);

    const metricsJson = await call("/v1/admin/usage?granularity=hour", { key: OPERATOR_KEY });
    expect(JSON.stringify(metricsJson.body)).not.toContain(MARKER);
    expect((await adminCsv()).text).not.toContain(MARKER);
  }, 180_000);
});
