// The `local` provider: the AI binding (the local twin in development) asked for 16-bit PCM WAV, so the whole TTS path
// runs offline. The twin answers with a real WAV file whose length follows the text; voices are OpenAI's names.
import { OPENAI_VOICES } from "@platform/shared";
import type { TtsAdapter } from "./types.ts";
import { workersAiAudio } from "./workers-ai.ts";

// Aura's call shape streams its bytes, so local development exercises the streamed path end to end.
const MODEL = "@cf/deepgram/aura-2-en";

export const local: TtsAdapter = {
  name: "local",
  profile: () => ({
    model: MODEL,
    voices: OPENAI_VOICES.map((id) => ({ id, name: id })),
    defaultVoice: "alloy",
    anyVoice: false,
    formats: ["wav"],
    defaultFormat: "wav",
    streaming: true,
    speed: false,
    // Lower than the twin's own limit, so text splitting and WAV joining run in development too.
    maxCharsPerCall: 1_000,
  }),
  async synthesize(request, deps) {
    // The twin ignores the voice; real Aura would not know OpenAI's names, so none is sent.
    const output = await deps.ai.run(request.model, { text: request.text, encoding: "linear16", container: "wav" }, { raw: true });
    return workersAiAudio(output, request.model);
  },
};
