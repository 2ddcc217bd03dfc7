// Test fixtures for the unit tests: tenants, a request context, audio bytes and the shapes providers answer with.
import * as v from "valibot";
import { AppError, TenantConfigSchema, tenantSettings, type AiRunner, type RequestContext, type TenantConfigInput, type TenantSettings } from "@platform/shared";
import type { AdapterDeps } from "./adapters/types.ts";
import { ttsAi } from "./ai.ts";
import { concat } from "./audio/bytes.ts";
import { wavHeader } from "./audio/wav.ts";

export function tenant(tts: TenantConfigInput["tts"] = {}, models: Partial<TenantConfigInput["models"]> = {}): TenantSettings {
  return tenantSettings(v.parse(TenantConfigSchema, { id: "demo", name: "Demo", keys: [], models: { chat: "@cf/meta/llama-3.1-8b-instruct-fast", ...models }, features: { tts: true }, tts }));
}

export function context(settings: TenantSettings = tenant()): RequestContext {
  return { tenantId: settings.id, keyId: "k", scopes: ["*"], traceId: "trace-1234", route: "/v1/tts", tenant: settings };
}

export function deps(overrides: { ai?: AiRunner; fetch?: typeof fetch; secrets?: Record<string, string>; ctx?: RequestContext } = {}): AdapterDeps {
  const ctx = overrides.ctx ?? context();
  const ai: AiRunner = overrides.ai ?? { run: async () => Promise.reject(new Error("no AI in this test")) };
  return {
    ctx,
    ai: ttsAi(ai, ctx),
    fetch: overrides.fetch ?? (async () => Promise.reject(new Error("no network in this test"))),
    secret: (name) => overrides.secrets?.[name],
  };
}

/** 16-bit mono PCM WAV at `sampleRate` with `samples` samples of a ramp (so joined data can be checked). */
export function wav(samples: number, sampleRate = 16_000, start = 0): Uint8Array {
  const fmt = new Uint8Array(16);
  const view = new DataView(fmt.buffer);
  view.setUint16(0, 1, true);
  view.setUint16(2, 1, true);
  view.setUint32(4, sampleRate, true);
  view.setUint32(8, sampleRate * 2, true);
  view.setUint16(12, 2, true);
  view.setUint16(14, 16, true);
  const data = new Uint8Array(samples * 2);
  const dataView = new DataView(data.buffer);
  for (let i = 0; i < samples; i++) dataView.setInt16(i * 2, (start + i) % 30_000, true);
  const header = wavHeader(fmt, data.length);
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}

// MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, joint stereo, no padding: 417-byte frames.
export const MP3_FRAME_HEADER = [0xff, 0xfb, 0x90, 0x64];
export const MP3_FRAME_BYTES = 417;

/** `frames` MP3 frames whose payload byte is `fill`, optionally after an ID3v2 tag and a Xing frame, as encoders write. */
export function mp3(frames: number, fill = 0x11, options: { id3?: boolean; xing?: boolean } = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  if (options.id3) {
    const tag = new Uint8Array(10 + 20);
    tag.set([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 20]);
    chunks.push(tag);
  }
  const frame = (payload: number, xing = false) => {
    const bytes = new Uint8Array(MP3_FRAME_BYTES).fill(payload);
    bytes.set(MP3_FRAME_HEADER);
    if (xing) bytes.set(Array.from("Info", (c) => c.charCodeAt(0)), 36);
    return bytes;
  };
  if (options.xing) chunks.push(frame(0, true));
  for (let i = 0; i < frames; i++) chunks.push(frame(fill));
  return concat(chunks);
}

/** The first bytes of an Ogg Opus file. */
export const OGG_OPUS = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, ...Array.from({ length: 40 }, () => 0)]);

export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A stream handing out `bytes` in chunks of `size`, as providers stream audio. */
export function chunked(bytes: Uint8Array, size = 1000): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

/** The error body a failing call throws (rebuilt as it would be across RPC); fails when nothing is thrown. */
export async function failure(run: () => Promise<unknown>) {
  try {
    await run();
  } catch (error) {
    return AppError.from(error).body;
  }
  throw new Error("expected a failure");
}

export async function bytesOf(source: ReadableStream<Uint8Array> | Uint8Array): Promise<Uint8Array> {
  return source instanceof Uint8Array ? source : new Uint8Array(await new Response(source).arrayBuffer());
}
