// Provider adapters: which upstream runs a model. `<provider>/<model>` names a model of the tenant's `providers`
// entry; anything else (`@cf/...`) runs on Workers AI through the AI binding. One file per provider kind.
import type { TenantSettings } from "../../tenant.ts";
import type { AiRunner, AiRunOptions } from "../types.ts";
import { OPENAI_COMPATIBLE_PROVIDER, runOpenAICompatible, type ProviderEnv } from "./openai-compatible.ts";

/** `gen_ai.provider.name` of Workers AI (no registered OpenTelemetry value exists for it). */
export const WORKERS_AI_PROVIDER = "cloudflare.workers_ai";

export interface AiProvider {
  /** `gen_ai.provider.name` */
  name: string;
  run(model: string, inputs: Record<string, unknown>, options: AiRunOptions): Promise<unknown>;
}

/** The tenant's provider entry and upstream model name for `<provider>/<model>`, or undefined for a Workers AI model. */
export function splitProviderModel(tenant: Pick<TenantSettings, "providers">, model: string): { name: string; upstreamModel: string } | undefined {
  const slash = model.indexOf("/");
  if (model.startsWith("@") || slash <= 0) return undefined;
  const name = model.slice(0, slash);
  const config = tenant.providers?.[name];
  const upstreamModel = model.slice(slash + 1);
  return config && config.models.includes(upstreamModel) ? { name, upstreamModel } : undefined;
}

export function resolveProvider(ai: AiRunner, tenant: Pick<TenantSettings, "providers">, model: string, env: ProviderEnv = {}): AiProvider {
  const routed = splitProviderModel(tenant, model);
  const config = routed && tenant.providers?.[routed.name];
  if (!routed || !config) return { name: WORKERS_AI_PROVIDER, run: (m, inputs, options) => ai.run(m, inputs, options) };
  return { name: OPENAI_COMPATIBLE_PROVIDER, run: (_m, inputs, options) => runOpenAICompatible(config, routed.upstreamModel, inputs, options, env) };
}
