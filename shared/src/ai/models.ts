// Model policy per kind of call: which model answers, which a request may name, and what to try when it fails.
import { AppError } from "../errors.ts";
import type { TenantSettings } from "../tenant.ts";
import type { ModelRoute } from "./types.ts";

/** OpenAI embedding model names clients send; they mean "this tenant's embedding model". */
export const OPENAI_EMBEDDING_ALIASES: readonly string[] = ["text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002"];

/** Models a request may name for chat: the tenant's default and its allow-list. */
export function allowedChatModels(tenant: TenantSettings): string[] {
  return [...new Set([tenant.models.chat, ...tenant.models.allowed])];
}

/**
 * The model for a kind of call: the tenant's configured one, or a requested one the policy allows (else
 * invalid_request 400). Chat: the allow-list. Embedding: OpenAI's names stand for the tenant's model. Rerank: only
 * the configured one. TTS: the service's planner (services/tts/src/plan.ts) already chose the model from the
 * tenant's provider and refused anything else, so the model it names is taken as chosen.
 */
export function chooseModel(tenant: TenantSettings, route: ModelRoute, requested?: string): string {
  const configured = tenant.models[route];
  if (requested === undefined || requested === configured) return configured;
  if (route === "tts") return requested;
  if (route === "chat" && tenant.models.allowed.includes(requested)) return requested;
  if (route === "embedding" && OPENAI_EMBEDDING_ALIASES.includes(requested)) return configured;
  const allowed = route === "chat" ? allowedChatModels(tenant) : route === "embedding" ? [configured, ...OPENAI_EMBEDDING_ALIASES] : [configured];
  const message = `model "${requested}" is not allowed for this tenant; allowed: ${allowed.join(", ")}`;
  throw new AppError("invalid_request", message, { details: { nested: { model: [message] }, allowed } });
}

/** The models to try in order: the chosen one, then (chat only) the tenant's fallback model. */
export function modelsToTry(tenant: TenantSettings, route: ModelRoute, requested?: string): string[] {
  const primary = chooseModel(tenant, route, requested);
  const fallback = route === "chat" ? tenant.models.fallback : undefined;
  return fallback && fallback !== primary ? [primary, fallback] : [primary];
}
