// Response cache in KV for deterministic (temperature 0) non-streamed answers, keyed per tenant so none is shared.
import { sha256Hex, type ChatMessage, type TokenUsage } from "@platform/shared";

export interface CachedAnswer {
  model: string;
  content: string;
  usage: TokenUsage;
}

export interface CacheKeyInput {
  model: string;
  messages: readonly ChatMessage[];
  max_tokens?: number;
}

/** `${tenantId}:chat:${sha256(model + messages)}`; max_tokens is hashed too, since it changes the answer. */
export async function cacheKey(tenantId: string, input: CacheKeyInput): Promise<string> {
  const material = input.model + JSON.stringify(input.messages.map(({ role, content }) => [role, content])) + (input.max_tokens ?? "");
  return `${tenantId}:chat:${await sha256Hex(material)}`;
}

export async function readCached(kv: KVNamespace, key: string): Promise<CachedAnswer | null> {
  const value = await kv.get<CachedAnswer>(key, "json");
  return value && typeof value.content === "string" ? value : null;
}

export async function writeCached(kv: KVNamespace, key: string, answer: CachedAnswer, ttlSeconds: number): Promise<void> {
  // KV's minimum TTL is 60 s.
  await kv.put(key, JSON.stringify(answer), { expirationTtl: Math.max(60, ttlSeconds) });
}
