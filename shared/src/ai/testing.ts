// Fakes for the AI path's unit tests: a tenant context, an `env.AI` that records its calls, SSE byte streams.
import * as v from "valibot";
import { onTestFinished, vi } from "vitest";
import { TenantConfigSchema, tenantSettings, type TenantConfigInput } from "../tenant.ts";
import type { AiContext, AiRunner } from "./types.ts";

export const PRIMARY = "@cf/meta/llama-3.1-8b-instruct-fast";
export const FALLBACK = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
export const OTHER = "@cf/openai/gpt-oss-120b";

export function context(overrides: Partial<TenantConfigInput> = {}): AiContext {
  const config = v.parse(TenantConfigSchema, {
    id: "t1",
    name: "Test tenant",
    keys: [],
    models: { chat: PRIMARY, fallback: FALLBACK, allowed: [PRIMARY, OTHER] },
    aiGateway: { id: "gw", cacheTtl: 600 },
    ...overrides,
  });
  return { tenantId: "t1", traceId: "trace-1", route: "/v1/chat", tenant: tenantSettings(config) };
}

export const encoder = new TextEncoder();
export function sse(...frames: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const frame of frames) controller.enqueue(encoder.encode(frame));
      controller.close();
    },
  });
}

export async function drain(stream: ReadableStream<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

/** A fake `env.AI` that records its calls and answers by model name. */
export function fakeAi(answer: (model: string, inputs: Record<string, unknown>) => unknown | Promise<unknown>) {
  const calls: { model: string; inputs: Record<string, unknown>; options: unknown }[] = [];
  const ai: AiRunner = {
    async run(model, inputs, options) {
      calls.push({ model, inputs, options });
      return answer(model, inputs);
    },
  };
  return { ai, calls };
}

/** Silences (and records) log lines for the current test only. */
export function quiet() {
  const spy = vi.spyOn(console, "log").mockImplementation(() => {});
  onTestFinished(() => spy.mockRestore());
  return spy;
}
