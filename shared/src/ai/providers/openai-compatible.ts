// The OpenAI-compatible provider adapter: chat (streamed or not, with tools) and embeddings against `/chat/completions`
// and `/embeddings` of a base URL (llama.cpp's server, Ollama, vLLM, OpenAI...), or of the tenant's AI Gateway compat
// endpoint. Answers keep OpenAI's shapes, which the readers in shapes.ts already accept; embeddings take Workers AI's.
import { AppError } from "../../errors.ts";
import type { ProviderConfig } from "../../tenant.ts";
import { isRecord } from "../../util/is-record.ts";
import type { AiRunOptions } from "../types.ts";

export const OPENAI_COMPATIBLE_PROVIDER = "openai";

export interface ProviderEnv {
  /** Secrets and vars of the calling service, read by name (`apiKeySecret`, CLOUDFLARE_ACCOUNT_ID). */
  readonly [name: string]: unknown;
}

/** Where a call goes: the base URL itself, or the tenant's AI Gateway compat endpoint when it has one. */
export function endpoint(config: ProviderConfig, model: string, options: AiRunOptions, env: ProviderEnv): { base: string; model: string; viaGateway: boolean } {
  const account = typeof env.CLOUDFLARE_ACCOUNT_ID === "string" ? env.CLOUDFLARE_ACCOUNT_ID : undefined;
  if (options.gateway && account && config.gatewayProvider) {
    return { base: `https://gateway.ai.cloudflare.com/v1/${account}/${options.gateway.id}/compat`, model: `${config.gatewayProvider}/${model}`, viaGateway: true };
  }
  return { base: config.baseUrl.replace(/\/+$/, ""), model, viaGateway: false };
}

export async function runOpenAICompatible(config: ProviderConfig, model: string, inputs: Record<string, unknown>, options: AiRunOptions, env: ProviderEnv, fetcher: typeof fetch = fetch): Promise<unknown> {
  const target = endpoint(config, model, options, env);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (config.apiKeySecret) {
    const key = env[config.apiKeySecret];
    if (typeof key !== "string" || key === "") throw new AppError("upstream_error", `the provider's secret ${config.apiKeySecret} is not set on this service`);
    headers.authorization = `Bearer ${key}`;
  }
  if (target.viaGateway && options.gateway) {
    headers["cf-aig-metadata"] = JSON.stringify(options.gateway.metadata);
    if (options.gateway.cacheTtl !== undefined) headers["cf-aig-cache-ttl"] = String(options.gateway.cacheTtl);
    if (options.gateway.skipCache) headers["cf-aig-skip-cache"] = "true";
  }
  const embedding = "text" in inputs && !("messages" in inputs);
  const body = embedding ? { model: target.model, input: inputs.text } : { ...inputs, model: target.model, ...(inputs.stream ? { stream_options: { include_usage: true } } : {}) };
  const response = await fetcher(`${target.base}${embedding ? "/embeddings" : "/chat/completions"}`, { method: "POST", headers, body: JSON.stringify(body) });
  if (!response.ok) {
    await response.body?.cancel();
    throw new AppError("upstream_error", `the provider answered HTTP ${response.status}`);
  }
  // A stream stays as the upstream's SSE bytes: parseFrame reads OpenAI's `choices[0].delta` frames and usage.
  if (inputs.stream === true && !embedding) {
    if (!response.body) throw new AppError("upstream_error", "the provider answered no stream");
    return response.body;
  }
  const json: unknown = await response.json();
  return embedding ? embeddingsAsWorkersAi(json) : json;
}

/** OpenAI's `{ data: [{ embedding }], usage }` as Workers AI's `{ shape, data: number[][] }`, usage kept. */
export function embeddingsAsWorkersAi(json: unknown): unknown {
  if (!isRecord(json) || !Array.isArray(json.data)) throw new AppError("upstream_error", "the provider's embeddings answer has no data");
  const rows = json.data.map((row: unknown) => (isRecord(row) && Array.isArray(row.embedding) ? (row.embedding as number[]) : []));
  return { shape: [rows.length, rows[0]?.length ?? 0], data: rows, ...(isRecord(json.usage) ? { usage: json.usage } : {}) };
}
