// Tenant configuration: the valibot schema every tenants/<id>/tenant.json and every deployed config must pass.
// A deployable config carries no key material: keys live in the gateway's registry (dev keys in dev-keys.json).
import * as v from "valibot";

/** Scopes a tenant's key may hold; `*` is every one of them. */
export const SCOPES = ["chat", "search", "ingest", "tools", "tts", "admin", "*"] as const;
/** `platform` (an operator key) is never part of `*` and never held by a tenant's key. */
export type Scope = (typeof SCOPES)[number] | "platform";

export const SERVICES = ["chat", "search", "ingest", "tools", "tts"] as const;
export type ServiceName = (typeof SERVICES)[number];

const Id = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "lowercase letters, digits and dashes, at most 32"));
const Sha256Hex = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, "a SHA-256 hex digest"));
const PositiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
const Model = v.pipe(v.string(), v.minLength(1));
const Prompt = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(4000));

/** A development key (tenants/<id>/dev-keys.json): its SHA-256 digest, accepted only in development builds. */
export const DevKeySchema = v.object({
  id: Id,
  sha256: Sha256Hex,
  scopes: v.pipe(v.array(v.picklist(SCOPES)), v.minLength(1)),
});
export type DevKey = v.InferOutput<typeof DevKeySchema>;

export const TenantConfigSchema = v.object({
  id: Id,
  name: v.pipe(v.string(), v.minLength(1)),
  hosts: v.optional(v.array(v.pipe(v.string(), v.toLowerCase())), []),
  models: v.object({
    chat: Model,
    fallback: v.optional(Model),
    embedding: v.optional(Model, "@cf/baai/bge-base-en-v1.5"),
    rerank: v.optional(Model, "@cf/baai/bge-reranker-base"),
    tts: v.optional(Model, "@cf/myshell-ai/melotts"),
    allowed: v.optional(v.array(Model), []),
    /** How long one model call may take before it counts as failed (then the fallback, else 502); default 30 s. */
    timeoutMs: v.optional(v.pipe(PositiveInt, v.maxValue(120_000))),
  }),
  aiGateway: v.optional(
    v.object({ id: v.pipe(v.string(), v.minLength(1)), cacheTtl: v.optional(PositiveInt), skipCache: v.optional(v.boolean()) }),
  ),
  limits: v.optional(
    v.object({
      requestsPerMinute: v.optional(PositiveInt, 600),
      burst: v.optional(PositiveInt, 100),
      maxBodyBytes: v.optional(PositiveInt, 1_048_576),
    }),
    {},
  ),
  budgets: v.optional(
    v.object({ tokensPerDay: v.optional(PositiveInt), tokensPerMonth: v.optional(PositiveInt) }),
    {},
  ),
  features: v.optional(
    v.object({
      chat: v.optional(v.boolean(), true),
      search: v.optional(v.boolean(), true),
      ingest: v.optional(v.boolean(), true),
      tools: v.optional(v.boolean(), true),
      tts: v.optional(v.boolean(), false),
    }),
    {},
  ),
  tools: v.optional(
    v.object({ allowed: v.optional(v.array(v.string()), ["*"]), maxRounds: v.optional(PositiveInt, 3) }),
    {},
  ),
  retention: v.optional(
    v.object({ sessionDays: v.optional(PositiveInt, 30), maxMessages: v.optional(PositiveInt, 500) }),
    {},
  ),
  rag: v.optional(
    v.object({
      chunkSize: v.optional(PositiveInt, 800),
      chunkOverlap: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0)), 100),
      topK: v.optional(v.pipe(PositiveInt, v.maxValue(50)), 5),
    }),
    {},
  ),
  cache: v.optional(v.object({ ttlSeconds: v.optional(v.pipe(PositiveInt, v.minValue(60)), 3600) }), {}),
  cors: v.optional(v.object({ origins: v.optional(v.array(v.string()), []) }), {}),
  // The tenant's prompts, kept in git as tenants/<id>/prompts/*.md and deployed with the config (scripts/tenants/).
  prompts: v.optional(v.object({ system: v.optional(Prompt), answer: v.optional(Prompt) })),
  tts: v.optional(
    v.object({
      provider: v.optional(v.picklist(["local", "melotts", "aura", "openai-compatible"]), "local"),
      voice: v.optional(v.string()),
      url: v.optional(v.pipe(v.string(), v.url())),
    }),
    {},
  ),
});

export type TenantConfigInput = v.InferInput<typeof TenantConfigSchema>;
export type TenantConfig = v.InferOutput<typeof TenantConfigSchema>;

/** What a service may know of its tenant: the config without host names. */
export type TenantSettings = Omit<TenantConfig, "hosts">;

export function tenantSettings(config: TenantConfig): TenantSettings {
  const { hosts: _hosts, ...settings } = config;
  return settings;
}
