// Retrieval-grounded chat: the last user message retrieves the tenant's chunks over RPC; they go to the model as
// numbered passages ([n]) in the shared RAG prompt, and to the client as the `sources` event.
import { AppError, RAG_CONTEXT_CHARS, ragSystemMessage, SEARCH_LIMITS, type AiMessage, type ChatMessage, type ChatSource, type RequestContext, type RetrievedChunk } from "@platform/shared";
import type { SearchRpc } from "./ports.ts";

const SNIPPET_CHARS = 240;

export interface Grounding {
  sources: ChatSource[];
  message: AiMessage;
  /** Tokens the retrieval spent (query embedding, rerank). */
  tokens: number;
}

/** The question to retrieve with: the last user message, cut to the longest query search takes. */
export function retrievalQuery(messages: readonly ChatMessage[]): string {
  const last = messages.findLast((m) => m.role === "user")?.content.trim() ?? "";
  if (last === "") throw new AppError("invalid_request", "rag needs a user message to retrieve with");
  return last.slice(0, SEARCH_LIMITS.maxQueryChars);
}

export async function ground(search: SearchRpc, ctx: RequestContext, messages: readonly ChatMessage[]): Promise<Grounding> {
  const found = await search.retrieve(ctx, { query: retrievalQuery(messages), topK: ctx.tenant.rag.topK });
  return { sources: found.chunks.map(toSource), message: groundingMessage(found.chunks), tokens: found.usage.total_tokens };
}

/** The system message with the passages: the platform's one RAG prompt (shared/src/rag-prompt.ts). */
export function groundingMessage(chunks: readonly Pick<RetrievedChunk, "text">[]): AiMessage {
  return ragSystemMessage(chunks.map((chunk) => ({ text: chunk.text })), RAG_CONTEXT_CHARS);
}

function toSource(chunk: RetrievedChunk, i: number): ChatSource {
  const source: ChatSource = { n: i + 1, docId: chunk.docId, chunkId: chunk.chunkId, title: chunk.title ?? null, url: chunk.url ?? null, snippet: cut(collapse(chunk.text), SNIPPET_CHARS), score: chunk.score };
  if (typeof chunk.metadata.page === "number") source.page = chunk.metadata.page;
  return source;
}

const collapse = (text: string) => text.replace(/\s+/g, " ").trim();
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
