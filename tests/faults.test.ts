// Faults injected through the public API: the AI twin's fault markers (-unavailable, -timeout, -malformed) picked by
// a tenant's models, with a fallback model (test-faults) and without one (test-faults-bare), on the platform's
// paths and OpenAI's. The models time out after 1.5 s (models.timeoutMs of both tenants).
import { expect, it } from "vitest";
import { gatewayUrl, postJson, testTenant, twinOnly } from "./helpers.ts";

const WITH_FALLBACK = testTenant("test-faults").key;
const BARE = testTenant("test-faults-bare").key;
const BASE = "@cf/meta/llama-3.1-8b-instruct";

interface ChatData {
  model: string;
  content: string;
}

const ask = (key: string, model?: string) => postJson("/v1/chat", { message: "What is the refund policy?", stream: false, ...(model ? { model } : {}) }, key);

twinOnly.describe("the AI failing, with a fallback model", () => {
  it("answers with the fallback when the tenant's model is unavailable", async () => {
    const { status, body } = await ask(WITH_FALLBACK);
    expect(status).toBe(200);
    expect((body.data as ChatData).model).toBe(BASE);
    expect((body.data as ChatData).content).not.toBe("");
  });

  it("answers with the fallback when the model times out", async () => {
    const { status, body } = await ask(WITH_FALLBACK, `${BASE}-timeout`);
    expect(status).toBe(200);
    expect((body.data as ChatData).model).toBe(BASE);
  });

  it("answers with the fallback when the model's output is malformed", async () => {
    const { status, body } = await ask(WITH_FALLBACK, `${BASE}-malformed`);
    expect(status).toBe(200);
    expect((body.data as ChatData).model).toBe(BASE);
  });
});

twinOnly.describe("the AI failing, without a fallback model", () => {
  it("answers 502 upstream_error naming the model, not an internal Worker", async () => {
    const { status, body } = await ask(BARE);
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ code: "upstream_error" });
    expect(body.error!.message).toContain(`${BASE}-unavailable`);
    expect(body.error!.message).not.toMatch(/platform-|Worker "/);
  });

  it("answers 502 upstream_error when the model times out, saying it timed out", async () => {
    const { status, body } = await ask(BARE, `${BASE}-timeout`);
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ code: "upstream_error" });
    expect(body.error!.message).toMatch(/1500 ?ms|timed out|time/i);
  });

  it("answers 502 upstream_error for malformed output", async () => {
    const { status, body } = await ask(BARE, `${BASE}-malformed`);
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ code: "upstream_error" });
  });

  it("answers in OpenAI's error shape on /v1/chat/completions", async () => {
    const response = await fetch(`${gatewayUrl()}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${BARE}`, "content-type": "application/json" },
      body: JSON.stringify({ model: `${BASE}-timeout`, messages: [{ role: "user", content: "hello" }] }),
    });
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { type: string; code: string; message: string } };
    expect(body.error).toMatchObject({ type: "api_error", code: "upstream_error" });
  });

  it("still answers a model that works", async () => {
    const { status, body } = await ask(BARE, BASE);
    expect(status).toBe(200);
    expect((body.data as ChatData).model).toBe(BASE);
  });
});
