// Text-to-speech twins. Every TTS model returns a RIFF/WAVE file (PCM 16-bit, mono, 16 kHz) holding a soft
// tone per character, about 60 ms a character, because encoding MP3 here is impractical: MeloTTS as
// { audio: base64 WAV }, Deepgram Aura as a ReadableStream of WAV bytes.
import { invalidInput } from "./errors.ts";
import { isRecord } from "@platform/shared";
import { byteStream } from "./stream.ts";

export const SAMPLE_RATE = 16_000;
const MS_PER_CHAR = 60;
const SAMPLES_PER_CHAR = (SAMPLE_RATE * MS_PER_CHAR) / 1000;
const AMPLITUDE = 0.15 * 0x7fff;
const MAX_CHARS = 10_000;
const CHUNK_BYTES = 16 * 1024;

export function meloTts(inputs: unknown): { audio: string } {
  if (!isRecord(inputs) || typeof inputs.prompt !== "string" || inputs.prompt.trim() === "") {
    throw invalidInput("required property `prompt` must be a non-empty string");
  }
  if (inputs.lang !== undefined && typeof inputs.lang !== "string") throw invalidInput("`lang` must be a string");
  return { audio: toBase64(synthesize(inputs.prompt)) };
}

export function auraTts(inputs: unknown): ReadableStream<Uint8Array> {
  if (!isRecord(inputs) || typeof inputs.text !== "string" || inputs.text.trim() === "") {
    throw invalidInput("required property `text` must be a non-empty string");
  }
  // speaker, encoding, container, sample_rate and bit_rate are accepted and ignored: the twin always sends WAV.
  const wav = synthesize(inputs.text);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < wav.length; offset += CHUNK_BYTES) chunks.push(wav.slice(offset, offset + CHUNK_BYTES));
  return byteStream(chunks);
}

/** A WAV file whose length grows with the text: a short tone per letter or digit, silence otherwise. */
export function synthesize(text: string): Uint8Array {
  if (text.length > MAX_CHARS) throw invalidInput(`text must be at most ${MAX_CHARS} characters`);
  const samples = Math.max(1, text.length) * SAMPLES_PER_CHAR;
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  writeHeader(view, samples * 2);
  for (let c = 0; c < text.length; c++) {
    const code = text.charCodeAt(c);
    if (!/[\p{L}\p{N}]/u.test(text[c]!)) continue;
    const step = (2 * Math.PI * (180 + (code % 16) * 20)) / SAMPLE_RATE;
    for (let i = 0; i < SAMPLES_PER_CHAR; i++) {
      const envelope = Math.sin((Math.PI * i) / SAMPLES_PER_CHAR);
      view.setInt16(44 + (c * SAMPLES_PER_CHAR + i) * 2, Math.round(AMPLITUDE * envelope * Math.sin(step * i)), true);
    }
  }
  return bytes;
}

function writeHeader(view: DataView, dataBytes: number): void {
  const ascii = (offset: number, text: string) => [...text].forEach((ch, i) => view.setUint8(offset + i, ch.charCodeAt(0)));
  ascii(0, "RIFF");
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, SAMPLE_RATE, true);
  view.setUint32(28, SAMPLE_RATE * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, dataBytes, true);
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
