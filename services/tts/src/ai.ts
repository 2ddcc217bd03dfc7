// Workers AI calls for TTS adapters through the platform's one AI path (shared/src/ai.ts: AI Gateway option, timeout,
// errors as upstream_error, logs). A thin wrapper: that path has no call for binary outputs or `returnRawResponse`.
import { gatewayOption, log, withFallback, type AiRunOptions, type AiRunner, type RequestContext } from "@platform/shared";

export interface TtsAiOptions {
  /** Ask for the raw `Response` (streamed audio bytes) rather than the binding's parsed output. */
  raw?: boolean;
}

export interface TtsAi {
  run(model: string, inputs: Record<string, unknown>, options?: TtsAiOptions): Promise<unknown>;
}

export function ttsAi(ai: AiRunner, ctx: RequestContext): TtsAi {
  return {
    async run(model, inputs, options = {}) {
      // The adapter chose the model for its provider; the AI path's model check knows only `models.tts`, so it is that.
      const aiCtx = { ...ctx, tenant: { ...ctx.tenant, models: { ...ctx.tenant.models, tts: model } } };
      const gateway = gatewayOption(aiCtx, "tts");
      const runOptions: AiRunOptions & { returnRawResponse?: true } = gateway ? { gateway } : {};
      if (options.raw) runOptions.returnRawResponse = true;
      const started = Date.now();
      const { value } = await withFallback({ ai, ctx: aiCtx, service: "tts" }, "tts", (m) => ai.run(m, inputs, runOptions));
      log({ kind: "rpc", traceId: ctx.traceId, tenantId: ctx.tenantId, service: "tts", route: "ai.tts", status: "ok", latencyMs: Date.now() - started, model });
      return value;
    },
  };
}
