// The adapter boundary: what a TTS provider module offers the service core, and what the core hands it per call.
import type { RequestContext, TenantSettings, TtsFormat, TtsProviderInfo } from "@platform/shared";
import type { AudioSource } from "../audio/bytes.ts";
import type { TtsAi } from "../ai.ts";

/** What a provider offers for one tenant (its model can depend on the tenant's `models.tts`): the public voices answer less what the core adds. */
export type AdapterProfile = Omit<TtsProviderInfo, "provider" | "maxChars">;

/** One provider call: text within `maxCharsPerCall`, a voice and format the profile lists. */
export interface SpeechRequest {
  text: string;
  voice: string;
  format: TtsFormat;
  model: string;
  speed?: number;
  instructions?: string;
}

export interface AdapterDeps {
  ctx: RequestContext;
  /** Workers AI through the platform's one AI call path (the local twin in development). */
  ai: TtsAi;
  fetch: typeof fetch;
  /** A Worker secret of the tts service by name, or undefined when it is not set. */
  secret(name: string): string | undefined;
}

export interface TtsAdapter {
  readonly name: string;
  profile(tenant: TenantSettings): AdapterProfile;
  /** Audio bytes as the provider produces them; errors are AppErrors (400 for the caller's fault, 502 for the provider's). */
  synthesize(request: SpeechRequest, deps: AdapterDeps): Promise<AudioSource>;
}
