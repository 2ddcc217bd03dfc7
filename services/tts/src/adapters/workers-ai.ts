// What Workers AI TTS models return, normalised to audio bytes: base64 JSON (MeloTTS), a byte stream or a raw Response (Aura).
import { AppError, isRecord } from "@platform/shared";
import { fromBase64, type AudioSource } from "../audio/bytes.ts";

export async function workersAiAudio(output: unknown, model: string): Promise<AudioSource> {
  if (output instanceof Response) {
    if (!output.ok) throw new AppError("upstream_error", `${model} answered ${output.status}: ${(await output.text()).slice(0, 200)}`);
    if (!output.body) throw noAudio(model);
    return output.body as ReadableStream<Uint8Array>;
  }
  if (output instanceof ReadableStream) return output as ReadableStream<Uint8Array>;
  if (output instanceof Uint8Array) return output;
  if (output instanceof ArrayBuffer) return new Uint8Array(output);
  const base64 = typeof output === "string" ? output : isRecord(output) && typeof output.audio === "string" ? output.audio : undefined;
  if (base64 === undefined || base64 === "") throw noAudio(model);
  try {
    return fromBase64(base64);
  } catch {
    throw new AppError("upstream_error", `${model} returned audio that is not valid base64`);
  }
}

const noAudio = (model: string) => new AppError("upstream_error", `${model} returned no audio`);
