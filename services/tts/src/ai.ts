// Workers AI calls for TTS adapters through the platform's one AI call (shared/src/ai/call.ts: AI Gateway option,
// timeout, errors as upstream_error, the outcome line). The adapter's model was chosen by the speech plan.
import { callAi, type AiRunner, type RequestContext } from "@platform/shared";

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
      const call = await callAi({ ai, ctx, service: "tts", model }, { route: "tts", inputs, raw: options.raw === true, read: (value) => ({ result: value }) });
      return call.result;
    },
  };
}
