// Workers AI MeloTTS (`@cf/myshell-ai/melotts`): `{ prompt, lang }` in, `{ audio: base64 MP3 }` out, not streamed.
// The voice is the language. The local twin answers WAV; the core labels audio by its bytes, so that stays honest.
import type { TtsAdapter } from "./types.ts";
import { workersAiAudio } from "./workers-ai.ts";

const MODEL = "@cf/myshell-ai/melotts";
const LANGUAGES = [
  { id: "en", name: "English", language: "en" },
  { id: "es", name: "Spanish", language: "es" },
  { id: "fr", name: "French", language: "fr" },
  { id: "zh", name: "Chinese", language: "zh" },
  { id: "jp", name: "Japanese", language: "ja" },
  { id: "kr", name: "Korean", language: "ko" },
];

export const melotts: TtsAdapter = {
  name: "melotts",
  profile: (tenant) => ({
    model: tenant.models.tts.includes("melotts") ? tenant.models.tts : MODEL,
    voices: LANGUAGES,
    defaultVoice: "en",
    anyVoice: false,
    formats: ["mp3"],
    defaultFormat: "mp3",
    streaming: false,
    speed: false,
    maxCharsPerCall: 1_000,
  }),
  async synthesize(request, deps) {
    const output = await deps.ai.run(request.model, { prompt: request.text, lang: request.voice });
    return workersAiAudio(output, request.model);
  },
};
