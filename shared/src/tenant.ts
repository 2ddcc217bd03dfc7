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
const ProviderName = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9-]{0,31}$/, "a provider name is lowercase letters, digits and dashes"));
/** One OpenAI-compatible upstream. The key is never here: `apiKeySecret` names a Worker secret of the AI services. */
export const ProviderSchema = v.strictObject({
  kind: v.literal("openai-compatible"),
  baseUrl: v.pipe(v.string(), v.url(), v.regex(/^https?:\/\//, "baseUrl is an http(s) URL")),
  apiKeySecret: v.optional(v.pipe(v.string(), v.regex(/^[A-Z][A-Z0-9_]{0,63}$/, "apiKeySecret is the NAME of a secret, upper case"))),
  /** AI Gateway's name for this provider (`openai`, `groq`, ...): in staging/production the call goes through the
   * tenant's AI Gateway compat endpoint as `<gatewayProvider>/<model>`. Unset: the base URL is called directly. */
  gatewayProvider: v.optional(ProviderName),
  models: v.pipe(v.array(Model), v.minLength(1)),
});
export type ProviderConfig = v.InferOutput<typeof ProviderSchema>;
const Prompt = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(4000));

/** A development key (tenants/<id>/dev-keys.json): its SHA-256 digest, accepted only in development builds. */
export const DevKeySchema = v.object({
  id: Id,
  sha256: Sha256Hex,
  scopes: v.pipe(v.array(v.picklist(SCOPES)), v.minLength(1)),
});
export type DevKey = v.InferOutput<typeof DevKeySchema>;

// The names of the environment variables holding a dedicated tenant's Cloudflare account id and API token (never
// the values: those stay out of git). Default: CLOUDFLARE_ACCOUNT_ID_<ID> and CLOUDFLARE_API_TOKEN_<ID>.
const EnvName = v.pipe(v.string(), v.regex(/^[A-Z][A-Z0-9_]*$/, "an environment variable name (A-Z, 0-9, _)"));

const TenantConfigObject = v.object({
  id: Id,
  name: v.pipe(v.string(), v.minLength(1)),
  // shared: served by the platform's mesh; dedicated: a whole mesh of its own in its own account (scripts/tenants/).
  deployment: v.optional(v.picklist(["shared", "dedicated"]), "shared"),
  account: v.optional(v.object({ idEnv: v.optional(EnvName), tokenEnv: v.optional(EnvName), urlEnv: v.optional(EnvName), adminKeyEnv: v.optional(EnvName) })),
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
  /** OpenAI-compatible upstreams: models named `<provider>/<model>` run there (see shared/src/ai/providers/). */
  providers: v.optional(v.record(ProviderName, ProviderSchema), {}),
  aiGateway: v.optional(
    v.object({ id: v.pipe(v.string(), v.minLength(1)), cacheTtl: v.optional(PositiveInt), skipCache: v.optional(v.boolean()) }),
  ),
  limits: v.optional(
    v.object({
      requestsPerMinute: v.optional(PositiveInt, 600),
      burst: v.optional(PositiveInt, 100),
      maxBodyBytes: v.optional(PositiveInt, 1_048_576),
      // Each end user a request names (x-user-id or OpenAI's `user`), on top of the per-key limits above.
      perUser: v.optional(v.object({ requestsPerMinute: v.optional(PositiveInt), burst: v.optional(PositiveInt) })),
    }),
    {},
  ),
  budgets: v.optional(
    v.object({
      tokensPerDay: v.optional(PositiveInt),
      tokensPerMonth: v.optional(PositiveInt),
      perUser: v.optional(v.object({ tokensPerDay: v.optional(PositiveInt), tokensPerMonth: v.optional(PositiveInt) })),
    }),
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
      // Hybrid fusion: the keyword (BM25) side's share, the semantic side gets the rest. Unset: the search service's
      // default for the embeddings it runs on (services/search/README.md, "Fusion").
      fusion: v.optional(v.object({ keywordWeight: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))) }), {}),
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

/** The model fields a provider may serve. `tts` is left out: its name belongs to the tenant's `tts.provider`. */
const PROVIDER_MODEL_FIELDS = ["chat", "fallback", "embedding", "rerank"] as const;

type ModelsAndProviders = { models: Pick<TenantConfig["models"], (typeof PROVIDER_MODEL_FIELDS)[number] | "allowed">; providers: Record<string, { models: string[] }> };

/**
 * Why each model name of the config cannot run, by field path (`models.allowed.1`): a name without a leading `@`
 * (Workers AI's `@cf/...`, `@hf/...`) must be `<declared provider>/<a model of its models list>`, else it would be
 * sent to Workers AI under a name it does not know.
 */
export function modelNameProblems(config: ModelsAndProviders): { path: (string | number)[]; message: string }[] {
  const named: [(string | number)[], string | undefined][] = [
    ...PROVIDER_MODEL_FIELDS.map((field): [(string | number)[], string | undefined] => [[field], config.models[field]]),
    ...config.models.allowed.map((model, i): [(string | number)[], string] => [["allowed", i], model]),
  ];
  const problems: { path: (string | number)[]; message: string }[] = [];
  for (const [path, model] of named) {
    if (model === undefined || model.startsWith("@")) continue;
    const slash = model.indexOf("/");
    const name = slash > 0 ? model.slice(0, slash) : undefined;
    const provider = name === undefined ? undefined : config.providers[name];
    const declared = Object.keys(config.providers).join(", ") || "none";
    let message: string | undefined;
    if (!provider) message = `model "${model}" is neither a Workers AI model (@cf/..., @hf/...) nor <provider>/<model> of a declared provider (declared: ${declared})`;
    else if (!provider.models.includes(model.slice(slash + 1))) message = `model "${model}": "${model.slice(slash + 1)}" is not in providers.${name}.models (${provider.models.join(", ")})`;
    if (message) problems.push({ path: ["models", ...path], message });
  }
  return problems;
}

/** A tenant config: the fields above, then every model name checked against the declared providers. */
export const TenantConfigSchema = v.pipe(
  TenantConfigObject,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    for (const problem of modelNameProblems(dataset.value)) {
      let input: unknown = dataset.value;
      const path = problem.path.map((key) => {
        const value = (input as Record<string | number, unknown>)[key];
        const item = { type: "object" as const, origin: "value" as const, input: input as Record<string, unknown>, key: String(key), value };
        input = value;
        return item;
      });
      addIssue({ message: problem.message, path: path as unknown as [v.ObjectPathItem] });
    }
  }),
);

/** The config's fields, for scripts that look a field up (scripts/tenants/). */
export const TENANT_CONFIG_ENTRIES = TenantConfigObject.entries;

export type TenantConfigInput = v.InferInput<typeof TenantConfigSchema>;
export type TenantConfig = v.InferOutput<typeof TenantConfigObject>;

/** What a service may know of its tenant: the config without host names. */
export type TenantSettings = Omit<TenantConfig, "hosts">;

export function tenantSettings(config: TenantConfig): TenantSettings {
  const { hosts: _hosts, ...settings } = config;
  return settings;
}
