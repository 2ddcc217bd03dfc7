// Tenant validation of model names: `@...` runs on Workers AI, anything else must be a declared provider's listed model.
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { TenantConfigSchema } from "./tenant.ts";

const LOCAL = { kind: "openai-compatible", baseUrl: "http://127.0.0.1:11434/v1", models: ["small", "embed"] };

function check(models: Record<string, unknown>, providers: Record<string, unknown> = { local: LOCAL }) {
  const result = v.safeParse(TenantConfigSchema, { id: "t", name: "T", models: { chat: "@cf/meta/llama-3.1-8b-instruct-fast", ...models }, providers });
  return result.success ? undefined : v.flatten(result.issues).nested;
}

describe("model names against the declared providers", () => {
  it("accepts Workers AI names and a declared provider's listed models in every model field", () => {
    expect(check({ chat: "local/small", fallback: "@cf/meta/llama-3.1-8b-instruct-fast", embedding: "local/embed", allowed: ["local/small", "@hf/thebloke/x", "@cf/a/b"] })).toBeUndefined();
    // The tts model belongs to the tenant's tts provider (an OpenAI-compatible speech server names its own).
    expect(check({ tts: "kokoro" }, {})).toBeUndefined();
  });

  it("refuses a declared provider's model that is not in its models list", () => {
    expect(check({ allowed: ["local/small", "local/large"] })).toEqual({
      "models.allowed.1": ['model "local/large": "large" is not in providers.local.models (small, embed)'],
    });
  });

  it("refuses a <name>/... whose provider is not declared, in the default, fallback and embedding fields too", () => {
    const message = (model: string, declared = "local") => `model "${model}" is neither a Workers AI model (@cf/..., @hf/...) nor <provider>/<model> of a declared provider (declared: ${declared})`;
    expect(check({ chat: "openai/gpt-4o", fallback: "groq/llama", embedding: "cf/baai/bge-base-en-v1.5" })).toEqual({
      "models.chat": [message("openai/gpt-4o")],
      "models.fallback": [message("groq/llama")],
      "models.embedding": [message("cf/baai/bge-base-en-v1.5")],
    });
    expect(check({ allowed: ["gpt-4o"] }, {})).toEqual({ "models.allowed.0": [message("gpt-4o", "none")] });
  });

  it("reports a bad model name along with the schema's other errors", () => {
    const result = v.safeParse(TenantConfigSchema, { id: "t", name: "T", models: { chat: "x/y" }, limits: { burst: -1 } });
    if (result.success) throw new Error("the config should not validate");
    expect(Object.keys(v.flatten(result.issues).nested ?? {})).toEqual(["limits.burst", "models.chat"]);
  });
});
