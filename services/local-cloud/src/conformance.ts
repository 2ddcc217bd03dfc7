// Compile-time conformance of the twins to Cloudflare's binding types (@cloudflare/workers-types): when
// Cloudflare changes `Vectorize` or a model's output type, `tsc` fails here. Types only; nothing runs.
import type { ChatOutput } from "./ai/chat.ts";
import type { EmbeddingOutput } from "./ai/embed.ts";
import type { chatCompletion, responsesOutput } from "./ai/openai-shapes.ts";
import type { RerankOutput } from "./ai/rerank.ts";
import type { convertFiles } from "./ai/to-markdown.ts";
import type { LocalAI, LocalVectorize } from "./index.ts";

type Assert<T extends true> = T;
type Extends<A, B> = [A] extends [B] ? true : false;

// Vectorize: LocalVectorize is usable wherever the V2 binding is (every method, same results), and accepts
// every argument list the binding accepts (checked one by one, since method parameters are bivariant).
export const asVectorize: Vectorize = null as unknown as LocalVectorize;
type VectorizeMethod = { [K in keyof Vectorize]: Vectorize[K] extends (...args: never[]) => unknown ? K : never }[keyof Vectorize];
type ArgumentsAccepted = { [K in VectorizeMethod]: Extends<Parameters<Vectorize[K]>, Parameters<LocalVectorize[K]>> };
export type VectorizeArguments = Assert<ArgumentsAccepted[VectorizeMethod]>;

// Workers AI: `Ai.run` is a stack of generic overloads keyed by model name, which one method cannot
// `satisfies` as a whole. What can be pinned: the twin accepts the options argument of every overload,
// and each model family's output is assignable to the published output type of the models it stands in for.
type Models = AiModels;
export type RunOptions = Assert<Extends<AiOptions | undefined, Parameters<LocalAI["run"]>[2]>>;
export type ChatShape = Assert<Extends<ChatOutput, Models["@cf/meta/llama-3.3-70b-instruct-fp8-fast"]["postProcessedOutputs"]>>;
// Not checked: older text-generation models (BaseAiTextGeneration) type `tool_calls` as the intersection
// `{ name, arguments }[] & { id, type, function }[]`, which the documented `{ name, arguments }` cannot meet.
export type ChatShapeGeneric = Assert<Extends<Omit<ChatOutput, "tool_calls">, Models["@cf/meta/llama-3.1-8b-instruct-fp8"]["postProcessedOutputs"]>>;
export type GptOssChatShape = Assert<Extends<ReturnType<typeof chatCompletion>, Models["@cf/openai/gpt-oss-120b"]["postProcessedOutputs"]>>;
export type GptOssResponsesShape = Assert<Extends<ReturnType<typeof responsesOutput>, Models["@cf/openai/gpt-oss-120b"]["postProcessedOutputs"]>>;
export type StreamShape = Assert<Extends<ReadableStream<Uint8Array>, ReadableStream>>;
export type EmbeddingShapes = Assert<
  Extends<
    EmbeddingOutput,
    | Models["@cf/baai/bge-m3"]["postProcessedOutputs"]
    | Models["@cf/baai/bge-base-en-v1.5"]["postProcessedOutputs"]
    | Models["@cf/baai/bge-small-en-v1.5"]["postProcessedOutputs"]
    | Models["@cf/baai/bge-large-en-v1.5"]["postProcessedOutputs"]
  >
>;
export type EmbeddingEach = Assert<Extends<EmbeddingOutput, Models["@cf/baai/bge-small-en-v1.5"]["postProcessedOutputs"]>>;
export type RerankShape = Assert<Extends<RerankOutput, Models["@cf/baai/bge-reranker-base"]["postProcessedOutputs"]>>;
export type MeloShape = Assert<Extends<{ audio: string }, Models["@cf/myshell-ai/melotts"]["postProcessedOutputs"]>>;
// Known gap: workers-types declares Aura's output as `string` while the twin streams WAV bytes (see README).
// If this assertion starts failing, Cloudflare changed the type: revisit the twin's Aura output.
export type AuraShapeDiffers = Assert<Extends<Extends<ReadableStream<Uint8Array>, Models["@cf/deepgram/aura-1"]["postProcessedOutputs"]>, false>>;

// Document conversion: the twin takes every argument list `Ai.toMarkdown(files, options)` takes, and answers with
// Workers AI's per-file results (Markdown or a per-file error).
export type ToMarkdownArguments = Assert<Extends<[MarkdownDocument[], ConversionRequestOptions?], Parameters<LocalAI["toMarkdown"]>>>;
export type ToMarkdownSingle = Assert<Extends<[MarkdownDocument], Parameters<LocalAI["toMarkdown"]>>>;
export type ToMarkdownResult = Assert<Extends<Awaited<ReturnType<typeof convertFiles>>, ConversionResponse | ConversionResponse[]>>;
