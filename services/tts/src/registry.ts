// Provider name (a tenant's `tts.provider`) -> adapter module. The only place that knows the providers: add one here.
import type { TenantSettings } from "@platform/shared";
import { AppError } from "@platform/shared";
import { aura } from "./adapters/aura.ts";
import { local } from "./adapters/local.ts";
import { melotts } from "./adapters/melotts.ts";
import { openaiCompatible } from "./adapters/openai-compatible.ts";
import type { TtsAdapter } from "./adapters/types.ts";

export const ADAPTERS: Readonly<Record<TenantSettings["tts"]["provider"], TtsAdapter>> = {
  local,
  melotts,
  aura,
  "openai-compatible": openaiCompatible,
};

export function adapterFor(tenant: TenantSettings, adapters: Readonly<Record<string, TtsAdapter>> = ADAPTERS): TtsAdapter {
  const adapter = adapters[tenant.tts.provider];
  if (!adapter) throw new AppError("not_enabled", `no TTS adapter for provider "${tenant.tts.provider}"`);
  return adapter;
}
