// LocalAI.run's dispatch: picks the twin for a model name and runs it, failing like Workers AI does.
import { chat, type ChatOutput } from "./chat.ts";
import { embed, type EmbeddingOutput } from "./embed.ts";
import { aiError, AI_NO_SUCH_MODEL, invalidInput } from "./errors.ts";
import { isRecord } from "@platform/shared";
import { modelKind } from "./models.ts";
import type { OpenAiOutput } from "./openai-shapes.ts";
import { embedContexts, rerank, type RerankOutput } from "./rerank.ts";
import { auraTts, meloTts } from "./tts.ts";

export type RunOutput = ChatOutput | OpenAiOutput | EmbeddingOutput | RerankOutput | { response: number[][]; shape: number[] } | { audio: string } | ReadableStream<Uint8Array>;

export function runModel(model: unknown, inputs: unknown): RunOutput {
  if (typeof model !== "string" || model === "") throw invalidInput("model must be a non-empty string");
  const kind = modelKind(model);
  if (!kind) throw aiError(AI_NO_SUCH_MODEL, `No such model ${model} (the local twin knows chat, bge embedding, bge-reranker-base, melotts and aura models)`);
  if (!isRecord(inputs)) throw invalidInput("inputs must be an object");
  if ("requests" in inputs) throw invalidInput("batch requests (`requests`, queueRequest) are not supported by the local twin");
  switch (kind.kind) {
    case "chat":
      return chat(model, inputs);
    case "embedding":
      return model === "@cf/baai/bge-m3" && "contexts" in inputs ? embedContexts(inputs) : embed(inputs, kind.dimensions);
    case "rerank":
      return rerank(inputs);
    case "tts-melo":
      return meloTts(inputs);
    case "tts-aura":
      return auraTts(inputs);
  }
}
