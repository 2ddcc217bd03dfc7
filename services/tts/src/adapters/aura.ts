// Workers AI Deepgram Aura (`@cf/deepgram/aura-1`, `aura-2-en`): `{ text, speaker, encoding, container }` in, the audio
// streamed as Deepgram produces it (asked for as a raw Response so nothing buffers it).
import type { TtsFormat } from "@platform/shared";
import type { TtsAdapter } from "./types.ts";
import { workersAiAudio } from "./workers-ai.ts";

const DEFAULT_MODEL = "@cf/deepgram/aura-2-en";
const SPEAKERS: Record<string, readonly string[]> = {
  "@cf/deepgram/aura-1": ["angus", "asteria", "arcas", "orion", "orpheus", "athena", "luna", "zeus", "perseus", "helios", "hera", "stella"],
  "@cf/deepgram/aura-2-en": [
    "amalthea", "andromeda", "apollo", "arcas", "aries", "asteria", "athena", "atlas", "aurora", "callista", "cora", "cordelia", "delia", "draco",
    "electra", "harmonia", "helena", "hera", "hermes", "hyperion", "iris", "janus", "juno", "jupiter", "luna", "mars", "minerva", "neptune",
    "odysseus", "ophelia", "orion", "orpheus", "pandora", "phoebe", "pluto", "saturn", "thalia", "theia", "vesta", "zeus",
  ],
};
// Deepgram's encodings: MP3 has no container, linear PCM goes in WAV, Opus in Ogg.
const ENCODINGS: Record<TtsFormat, { encoding: string; container?: string }> = {
  mp3: { encoding: "mp3" },
  wav: { encoding: "linear16", container: "wav" },
  opus: { encoding: "opus", container: "ogg" },
};

export const aura: TtsAdapter = {
  name: "aura",
  profile: (tenant) => {
    const model = tenant.models.tts in SPEAKERS ? tenant.models.tts : DEFAULT_MODEL;
    return {
      model,
      voices: (SPEAKERS[model] ?? []).map((id) => ({ id, name: id, language: "en" })),
      defaultVoice: "asteria",
      anyVoice: false,
      formats: ["mp3", "wav", "opus"],
      defaultFormat: "mp3",
      streaming: true,
      speed: false,
      // Deepgram's limit per request.
      maxCharsPerCall: 2_000,
    };
  },
  async synthesize(request, deps) {
    const inputs = { text: request.text, speaker: request.voice, ...ENCODINGS[request.format] };
    return workersAiAudio(await deps.ai.run(request.model, inputs, { raw: true }), request.model);
  },
};
