// Decides one synthesis before any provider is called: adapter, model, format, voice, speed and the text's parts.
// Every refusal here is the caller's to fix (400, or 413 for text over the platform's limit).
import {
  AppError,
  OPENAI_TTS_MODELS,
  OPENAI_VOICES,
  TTS_LIMITS,
  checkTtsText,
  type TenantSettings,
  type TtsProviderInfo,
  type TtsSynthesisInput,
} from "@platform/shared";
import type { AdapterProfile, SpeechRequest, TtsAdapter } from "./adapters/types.ts";
import { adapterFor } from "./registry.ts";
import { splitText } from "./split.ts";

export interface SpeechPlan {
  adapter: TtsAdapter;
  profile: AdapterProfile;
  /** Everything of a provider call but its text. */
  request: Omit<SpeechRequest, "text">;
  /** False when the caller named no format: the audio is then labelled by what its bytes are. */
  explicitFormat: boolean;
  characters: number;
  parts: string[];
}

type Adapters = Parameters<typeof adapterFor>[1];

export function planSpeech(tenant: TenantSettings, input: TtsSynthesisInput, adapters?: Adapters): SpeechPlan {
  const characters = checkTtsText(input.text);
  const adapter = adapterFor(tenant, adapters);
  const profile = adapter.profile(tenant);
  const format = input.format ?? profile.defaultFormat;
  if (!profile.formats.includes(format)) {
    throw invalidField("format", `this tenant's TTS provider (${adapter.name}) produces ${profile.formats.join(", ")}; "${format}" is not available`, { supported: profile.formats });
  }
  const request: Omit<SpeechRequest, "text"> = { model: chooseModel(adapter, profile, input.model), voice: chooseVoice(tenant, adapter, profile, input), format };
  if (input.speed !== undefined && input.speed !== 1) {
    if (!profile.speed) throw invalidField("speed", `this tenant's TTS provider (${adapter.name}) speaks at one speed; omit speed or send 1`);
    request.speed = input.speed;
  }
  if (input.instructions !== undefined) request.instructions = input.instructions;
  return { adapter, profile, request, explicitFormat: input.format !== undefined, characters, parts: splitText(input.text, profile.maxCharsPerCall) };
}

export function providerInfo(tenant: TenantSettings, adapters?: Adapters): TtsProviderInfo {
  const adapter = adapterFor(tenant, adapters);
  const { maxCharsPerCall, ...profile } = adapter.profile(tenant);
  return { provider: adapter.name, ...profile, defaultVoice: tenantVoice(tenant, profile) ?? profile.defaultVoice, maxCharsPerCall, maxChars: TTS_LIMITS.maxChars };
}

function chooseModel(adapter: TtsAdapter, profile: AdapterProfile, requested?: string): string {
  if (requested === undefined || requested === profile.model || OPENAI_TTS_MODELS.includes(requested)) return profile.model;
  const allowed = [profile.model, ...OPENAI_TTS_MODELS];
  throw invalidField("model", `model "${requested}" is not this tenant's TTS model (${adapter.name}); send one of ${allowed.join(", ")}`, { allowed });
}

function chooseVoice(tenant: TenantSettings, adapter: TtsAdapter, profile: AdapterProfile, input: TtsSynthesisInput): string {
  const fallback = tenantVoice(tenant, profile) ?? profile.defaultVoice;
  const requested = input.voice;
  if (requested === undefined) return fallback;
  if (profile.anyVoice || profile.voices.some((v) => v.id === requested)) return requested;
  if (input.openaiVoices && OPENAI_VOICES.includes(requested)) return fallback;
  const ids = profile.voices.map((v) => v.id);
  throw invalidField("voice", `voice "${requested}" is not one of this tenant's TTS provider (${adapter.name}): ${ids.join(", ")} (see GET /v1/tts/voices)`, { voices: ids });
}

/** The tenant's configured voice when its provider has it (a voice left from another provider is ignored). */
function tenantVoice(tenant: TenantSettings, profile: Pick<AdapterProfile, "anyVoice" | "voices">): string | undefined {
  const voice = tenant.tts.voice;
  return voice !== undefined && (profile.anyVoice || profile.voices.some((v) => v.id === voice)) ? voice : undefined;
}

function invalidField(field: string, message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError("invalid_request", message, { details: { nested: { [field]: [message] }, ...extra } });
}
