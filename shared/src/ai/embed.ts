// Embeddings with the tenant's embedding model through the one AI call, batched as Workers AI requires.
import { AppError } from "../errors.ts";
import { inGroups } from "../util/groups.ts";
import { isRecord } from "../util/is-record.ts";
import { callAi } from "./call.ts";
import { chooseModel } from "./models.ts";
import { estimateTokens, inputUsage, tokenCount } from "./tokens.ts";
import type { AiCallOptions, TokenUsage } from "./types.ts";

export interface EmbeddingCallResult {
  model: string;
  data: number[][];
  usage: TokenUsage;
  latencyMs: number;
}

/** Workers AI embeds at most 100 texts a call. */
const EMBEDDING_BATCH = 100;
/**
 * Calls in flight at once for one caller: an ingest slice of 500 documents is some 13 calls, which would otherwise
 * wait on each other's model latency. Below Workers' six simultaneous connections per invocation.
 */
const EMBEDDING_CONCURRENCY = 4;

/** The dimension of the chunks index search and ingest share (bge-base-en-v1.5; the twin's props and provisioning say 768 too). */
export const INDEX_DIMENSIONS = 768;

/** The embedding model answered vectors of another length than the index holds (a provider's model, most likely). */
export class EmbeddingDimensionError extends AppError {
  constructor(dimension: number, expected: number) {
    super("upstream_error", `embedding dimension ${dimension} does not match the index (${expected})`);
  }
}

/**
 * Embeddings for `texts`, one model call (and one outcome line) per batch of 100, up to EMBEDDING_CONCURRENCY calls at
 * a time. With `dimensions` (the index's), vectors of any other length throw EmbeddingDimensionError (502) rather than
 * reach Vectorize.
 */
export async function runEmbedding(options: AiCallOptions, texts: string[], dimensions?: number): Promise<EmbeddingCallResult> {
  const started = Date.now();
  const model = chooseModel(options.ctx.tenant, "embedding", options.model);
  const embedBatch = async (batch: string[]) => {
    const call = await callAi({ ...options, model }, {
      route: "embedding",
      inputs: { text: batch },
      read(value) {
        const vectors = isRecord(value) && Array.isArray(value.data) ? (value.data as number[][]) : undefined;
        if (!vectors || vectors.length !== batch.length) throw new AppError("upstream_error", `the embedding model ${model} returned no vectors`);
        const reported = isRecord(value) && isRecord(value.usage) ? tokenCount(value.usage.prompt_tokens) : undefined;
        const usage = inputUsage(reported ?? estimateTokens(batch.reduce((sum, t) => sum + t.length, 0)));
        return { result: { vectors, usage }, usage };
      },
    });
    if (dimensions !== undefined) {
      const wrong = call.result.vectors.find((vector) => vector.length !== dimensions);
      if (wrong) throw new EmbeddingDimensionError(wrong.length, dimensions);
    }
    return call.result;
  };
  const data: number[][] = [];
  let tokens = 0;
  const batches = inGroups(texts, EMBEDDING_BATCH);
  for (const wave of inGroups(batches, EMBEDDING_CONCURRENCY)) {
    for (const result of await Promise.all(wave.map(embedBatch))) {
      data.push(...result.vectors);
      tokens += result.usage.prompt_tokens;
    }
  }
  return { model, data, usage: inputUsage(tokens), latencyMs: Date.now() - started };
}
