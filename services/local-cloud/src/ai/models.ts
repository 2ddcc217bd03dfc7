// Which Workers AI model names the twin answers, and as what kind of model.

export type ModelKind =
  | { kind: "chat" }
  | { kind: "embedding"; dimensions: number }
  | { kind: "rerank" }
  | { kind: "tts-melo" }
  | { kind: "tts-aura" };

export const EMBEDDING_DIMENSIONS: Readonly<Record<string, number>> = {
  "@cf/baai/bge-m3": 1024,
  "@cf/baai/bge-base-en-v1.5": 768,
  "@cf/baai/bge-small-en-v1.5": 384,
  "@cf/baai/bge-large-en-v1.5": 1024,
};

const FIXED: Readonly<Record<string, ModelKind>> = {
  "@cf/baai/bge-reranker-base": { kind: "rerank" },
  "@cf/myshell-ai/melotts": { kind: "tts-melo" },
  "@cf/deepgram/aura-1": { kind: "tts-aura" },
  "@cf/deepgram/aura-2-en": { kind: "tts-aura" },
  "@cf/deepgram/aura-2-es": { kind: "tts-aura" },
};

// Text generation models: the catalogue grows every month, so any @cf/ or @hf/ name that reads like an
// instruction or chat LLM is treated as one rather than listing every name.
const CHAT_NAME =
  /^@(cf|hf)\/[\w.-]+\/[\w.-]*(instruct|chat|-it\b|-it-|gpt-oss|llama-[234]|qwen|qwq|mistral|gemma|deepseek|kimi|glm|nemotron-3|hermes|phi-2|granite|openchat|zephyr|falcon|sqlcoder|coder|sea-lion|starling|cybertron)/i;
const NOT_CHAT = /(guard|embedding|whisper|nova|flux|aura|melotts|vision|speech|turn)/i;

export function modelKind(model: string): ModelKind | undefined {
  const dimensions = EMBEDDING_DIMENSIONS[model];
  if (dimensions !== undefined) return { kind: "embedding", dimensions };
  const fixed = FIXED[model];
  if (fixed) return fixed;
  if (CHAT_NAME.test(model) && !NOT_CHAT.test(model)) return { kind: "chat" };
  return undefined;
}
