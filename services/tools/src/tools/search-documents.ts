// search_documents: the tenant's most relevant document chunks for a query, through the search service over RPC.
import * as v from "valibot";
import { RETRIEVAL_MODES } from "@platform/shared";
import { defineTool } from "../tool.ts";

const SNIPPET_CHARS = 600;

export const searchDocuments = defineTool({
  name: "search_documents",
  description: "Search the tenant's documents. Returns { results: [{ n, docId, chunkId, title, url, score, text }], count }.",
  input: v.strictObject({
    query: v.pipe(v.string(), v.minLength(1), v.maxLength(1000), v.description("What to look for.")),
    topK: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20), v.description("How many results (default: the tenant's topK)."))),
    mode: v.optional(v.picklist(RETRIEVAL_MODES)),
  }),
  scopes: ["tools", "search"],
  limits: { maxInputBytes: 4 * 1024, maxOutputBytes: 32 * 1024, timeoutMs: 20_000 },
  async handler(ctx, args, deps) {
    const found = await deps.search.retrieve({ query: args.query, topK: args.topK ?? ctx.tenant.rag.topK, ...(args.mode ? { mode: args.mode } : {}) });
    deps.addUsage(found.usage.total_tokens);
    const results = found.chunks.map((chunk, i) => ({
      n: i + 1,
      docId: chunk.docId,
      chunkId: chunk.chunkId,
      title: chunk.title ?? null,
      url: chunk.url ?? null,
      score: chunk.score,
      text: chunk.text.length > SNIPPET_CHARS ? `${chunk.text.slice(0, SNIPPET_CHARS - 1)}…` : chunk.text,
    }));
    return { results, count: results.length };
  },
});
