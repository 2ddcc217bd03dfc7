// The synthesis core with a fake adapter: labels audio by its bytes, refuses mislabelling, joins parts (WAV, MP3, Ogg),
// streams parts one ahead and stops the provider when the reader cancels.
import { describe, expect, it } from "vitest";
import { AppError, type TtsFormat } from "@platform/shared";
import type { AdapterProfile, SpeechRequest, TtsAdapter } from "./adapters/types.ts";
import type { AudioSource } from "./audio/bytes.ts";
import { parseWav } from "./audio/wav.ts";
import { MP3_FRAME_BYTES, OGG_OPUS, bytesOf, chunked, deps, failure, mp3, tenant, wav } from "./testing.ts";
import { planSpeech } from "./plan.ts";
import { synthesize } from "./speech.ts";

const PROFILE: AdapterProfile = {
  model: "fake-model",
  voices: [{ id: "v" }],
  defaultVoice: "v",
  anyVoice: false,
  formats: ["mp3", "wav", "opus"],
  defaultFormat: "mp3",
  streaming: true,
  speed: false,
  maxCharsPerCall: 20,
};

/** An adapter answering each call with `audio(request, index)`, recording the texts it was asked for. */
function fakeAdapter(audio: (request: SpeechRequest, index: number) => AudioSource, profile: Partial<AdapterProfile> = {}) {
  const texts: string[] = [];
  const adapter: TtsAdapter = {
    name: "local",
    profile: () => ({ ...PROFILE, ...profile }),
    async synthesize(request) {
      texts.push(request.text);
      return audio(request, texts.length - 1);
    },
  };
  return { adapter, texts };
}

const plan = (adapter: TtsAdapter, text: string, format?: TtsFormat) => planSpeech(tenant({ provider: "local" }), { text, format }, { local: adapter });
const threeParts = "First sentence here. Second one here. Third one here.";

describe("synthesize", () => {
  it("labels audio by its bytes when the caller named no format (MeloTTS's twin answers WAV)", async () => {
    const { adapter } = fakeAdapter(() => wav(100));
    const audio = await synthesize(plan(adapter, "Hello."), deps());
    expect(audio).toMatchObject({ format: "wav", contentType: "audio/wav", provider: "local", model: "fake-model", voice: "v", characters: 6, parts: 1 });
    expect(await bytesOf(audio.audio)).toEqual(wav(100));
  });

  it("refuses with 502 to serve audio under a format the caller did not get", async () => {
    const { adapter } = fakeAdapter(() => wav(100));
    const error = await failure(() => synthesize(plan(adapter, "Hello.", "mp3"), deps()));
    expect(error.code).toBe("upstream_error");
    expect(error.message).toMatch(/returned wav audio where mp3 was asked for/);
  });

  it("refuses bytes that are not audio, and containers the platform does not serve", async () => {
    expect(await failure(() => synthesize(plan(fakeAdapter(() => new TextEncoder().encode('{"error":1}')).adapter, "Hi."), deps()))).toMatchObject({ code: "upstream_error" });
    const flac = new TextEncoder().encode("fLaC\0\0\0\"0000");
    expect((await failure(() => synthesize(plan(fakeAdapter(() => flac).adapter, "Hi."), deps()))).message).toMatch(/flac/);
  });

  it("streams a single part as the provider produces it, or hands over the whole file", async () => {
    const bytes = mp3(10);
    const streamed = await synthesize(plan(fakeAdapter(() => chunked(bytes, 100)).adapter, "Hi."), deps());
    expect(streamed.audio).toBeInstanceOf(ReadableStream);
    expect(await bytesOf(streamed.audio)).toEqual(bytes);
    const whole = await synthesize(plan(fakeAdapter(() => chunked(bytes, 100)).adapter, "Hi."), deps(), { whole: true });
    expect(whole.audio).toBeInstanceOf(Uint8Array);
    expect(whole.audio).toEqual(bytes);
  });

  it("joins WAV parts into one file with one correct header", async () => {
    const { adapter, texts } = fakeAdapter((_, i) => chunked(wav(1000, 16_000, i * 1000), 333));
    const audio = await synthesize(plan(adapter, threeParts), deps());
    expect(texts).toEqual(["First sentence here.", "Second one here.", "Third one here."]);
    expect(audio.parts).toBe(3);
    const bytes = await bytesOf(audio.audio);
    const joined = parseWav(bytes);
    expect(joined.data.length).toBe(6000);
    expect(bytes.length).toBe(44 + 6000);
    const samples = new DataView(joined.data.buffer, joined.data.byteOffset);
    expect([0, 999, 1000, 2999].map((i) => samples.getInt16(i * 2, true))).toEqual([0, 999, 1000, 2999]);
  });

  it("joins MP3 parts frame by frame, dropping each part's ID3 tag and Xing frame", async () => {
    const { adapter } = fakeAdapter((_, i) => chunked(mp3(2, 0x10 + i, { id3: true, xing: true }), 50));
    const bytes = await bytesOf((await synthesize(plan(adapter, threeParts), deps())).audio);
    expect(bytes.length).toBe(6 * MP3_FRAME_BYTES);
    expect([0, 2, 4].map((f) => bytes[f * MP3_FRAME_BYTES + 10])).toEqual([0x10, 0x11, 0x12]);
    expect(String.fromCharCode(...bytes.subarray(0, 3))).not.toBe("ID3");
  });

  it("chains Ogg Opus parts as they are", async () => {
    const { adapter } = fakeAdapter(() => OGG_OPUS);
    const bytes = await bytesOf((await synthesize(plan(adapter, threeParts, "opus"), deps())).audio);
    expect(bytes.length).toBe(3 * OGG_OPUS.length);
  });

  it("asks for each next part only one ahead of the reader", async () => {
    const { adapter, texts } = fakeAdapter(() => mp3(2));
    const audio = await synthesize(plan(adapter, threeParts), deps());
    expect(texts.length).toBe(2);
    await bytesOf(audio.audio);
    expect(texts.length).toBe(3);
  });

  it("errors the stream when a later part fails or comes in another container", async () => {
    const failing = fakeAdapter((_, i) => (i === 0 ? mp3(2) : Promise.reject(new AppError("upstream_error", "part failed")) as never));
    const audio = await synthesize(plan(failing.adapter, threeParts), deps());
    await expect(bytesOf(audio.audio)).rejects.toThrow(/part failed/);
    const mixed = fakeAdapter((_, i) => (i === 0 ? mp3(2) : wav(10)));
    await expect(bytesOf((await synthesize(plan(mixed.adapter, threeParts), deps())).audio)).rejects.toThrow(/another/);
  });

  it("cancels the provider's stream when the reader goes away", async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(mp3(1));
      },
      pull(controller) {
        controller.enqueue(mp3(1));
      },
      cancel() {
        cancelled = true;
      },
    });
    const audio = await synthesize(plan(fakeAdapter(() => endless).adapter, "Hi."), deps());
    const reader = (audio.audio as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
    expect(cancelled).toBe(true);
  });
});
