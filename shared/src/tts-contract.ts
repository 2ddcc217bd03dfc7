// Text-to-speech contract: the gateway's valibot request schemas (native and OpenAI-compatible) and the tts service's RPC types.
import * as v from "valibot";
import { AppError } from "./errors.ts";

/** Audio formats of the contract and the content type each one is served with. */
export const TTS_FORMATS = ["mp3", "wav", "opus"] as const;
export type TtsFormat = (typeof TTS_FORMATS)[number];
export const TTS_CONTENT_TYPES: Readonly<Record<TtsFormat, string>> = { mp3: "audio/mpeg", wav: "audio/wav", opus: "audio/ogg" };

export const TTS_LIMITS = {
  /** The platform's limit per request; longer text is a 413 whatever the provider. */
  maxChars: 20_000,
  /** `stream: false` with more characters than this becomes a job whose audio is fetched later. */
  jobAboveChars: 4_000,
  minSpeed: 0.25,
  maxSpeed: 4,
  maxVoiceChars: 100,
  maxInstructionsChars: 4_096,
} as const;

/** OpenAI's TTS model names; on /v1/audio/speech they mean "this tenant's TTS model". */
export const OPENAI_TTS_MODELS: readonly string[] = ["tts-1", "tts-1-hd", "gpt-4o-mini-tts"];
/** OpenAI's voices; on /v1/audio/speech a provider without them uses the tenant's voice instead. */
export const OPENAI_VOICES: readonly string[] = ["alloy", "ash", "ballad", "cedar", "coral", "echo", "fable", "marin", "nova", "onyx", "sage", "shimmer", "verse"];
export const OPENAI_RESPONSE_FORMATS = ["mp3", "opus", "aac", "flac", "wav", "pcm"] as const;

const Voice = v.pipe(v.string(), v.minLength(1, "voice must not be empty"), v.maxLength(TTS_LIMITS.maxVoiceChars));
const Speed = v.pipe(v.number(), v.minValue(TTS_LIMITS.minSpeed), v.maxValue(TTS_LIMITS.maxSpeed));
// Emptiness and length are checked by checkTtsText, so they answer 400 and 413 with one message each.
const Text = v.string("text must be a string");

export const TtsRequestSchema = v.object({
  text: Text,
  voice: v.optional(Voice),
  format: v.optional(v.picklist(TTS_FORMATS, `format must be one of ${TTS_FORMATS.join(", ")}`)),
  speed: v.optional(Speed),
  stream: v.optional(v.boolean()),
});
export type TtsRequest = v.InferOutput<typeof TtsRequestSchema>;

// OpenAI clients send fields this platform does not use (user, ...): a loose object.
export const OpenAISpeechRequestSchema = v.looseObject({
  model: v.pipe(v.string(), v.minLength(1, "model must not be empty"), v.maxLength(200)),
  input: Text,
  // A voice name, or `{ id }` for a custom voice.
  voice: v.optional(v.union([Voice, v.looseObject({ id: Voice })])),
  response_format: v.optional(v.picklist(OPENAI_RESPONSE_FORMATS, `response_format must be one of ${OPENAI_RESPONSE_FORMATS.join(", ")}`)),
  speed: v.optional(Speed),
  instructions: v.optional(v.pipe(v.string(), v.maxLength(TTS_LIMITS.maxInstructionsChars))),
  stream_format: v.optional(v.picklist(["audio", "sse"])),
});
export type OpenAISpeechRequest = v.InferOutput<typeof OpenAISpeechRequestSchema>;

/** Characters as users count them (code points), for limits and usage. */
export function countChars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Checks text for synthesis: empty is 400, over the platform's limit 413. Returns its character count. */
export function checkTtsText(text: string, field = "text"): number {
  if (text.trim() === "") {
    throw new AppError("invalid_request", `${field} must not be empty`, { details: { nested: { [field]: [`${field} must not be empty`] } } });
  }
  const chars = countChars(text);
  if (chars > TTS_LIMITS.maxChars) {
    const message = `${field} has ${chars} characters; text-to-speech takes at most ${TTS_LIMITS.maxChars} per request`;
    throw new AppError("payload_too_large", message, { details: { nested: { [field]: [message] }, limit: TTS_LIMITS.maxChars } });
  }
  return chars;
}

export const isTtsFormat = (value: unknown): value is TtsFormat => (TTS_FORMATS as readonly unknown[]).includes(value);

/** What the gateway sends the tts service: validated text and options. */
export interface TtsSynthesisInput {
  text: string;
  voice?: string;
  /** Omitted: the provider's native format, labelled by what its bytes really are. */
  format?: TtsFormat;
  speed?: number;
  /** A model name the request asked for (OpenAI route); OpenAI's names mean the tenant's model. */
  model?: string;
  /** Style instructions, passed to providers that take them (OpenAI's gpt-4o-mini-tts). */
  instructions?: string;
  /** OpenAI's voice names the provider lacks fall back to the tenant's voice (OpenAI route). */
  openaiVoices?: boolean;
}

export interface TtsVoice {
  id: string;
  name?: string;
  language?: string;
}

/** GET /v1/tts/voices: what the tenant's provider offers. */
export interface TtsProviderInfo {
  provider: string;
  model: string;
  defaultVoice: string;
  voices: TtsVoice[];
  /** True when the provider takes voice names beyond the listed ones (self-hosted servers). */
  anyVoice: boolean;
  formats: TtsFormat[];
  defaultFormat: TtsFormat;
  /** True when audio is sent as the provider produces it. */
  streaming: boolean;
  speed: boolean;
  /** Text longer than this is split at sentence boundaries and the audio joined. */
  maxCharsPerCall: number;
  maxChars: number;
}

export interface TtsAudioMeta {
  provider: string;
  model: string;
  voice: string;
  format: TtsFormat;
  contentType: string;
  characters: number;
  /** How many provider calls the text took. */
  parts: number;
}

/** Synthesised audio: a stream relayed as produced, or the whole file when the caller asked for no stream. */
export interface TtsAudio extends TtsAudioMeta {
  audio: ReadableStream<Uint8Array> | Uint8Array;
}

export type TtsJobStatus = "pending" | "done" | "failed";

export interface TtsJob {
  id: string;
  status: TtsJobStatus;
  characters: number;
  provider: string;
  createdAt: string;
  updatedAt: string;
  format?: TtsFormat;
  contentType?: string;
  bytes?: number;
  error?: { code: string; message: string };
}

export interface TtsJobAudio {
  job: TtsJob;
  /** Present once the job is done. */
  audio?: ReadableStream<Uint8Array>;
}
