// Runs a planned synthesis: one provider call per part, audio labelled by its real container, parts joined seamlessly
// (WAV: PCM concatenated under one correct header; MP3: frames concatenated; Ogg Opus: chained streams).
import { AppError, TTS_CONTENT_TYPES, isTtsFormat, log, type TtsAudio, type TtsFormat } from "@platform/shared";
import type { AdapterDeps } from "./adapters/types.ts";
import { concat, fromBytes, peek, prepend, readAll, type AudioSource } from "./audio/bytes.ts";
import { mp3LeadToDrop } from "./audio/mp3.ts";
import { SNIFF_BYTES, sniff } from "./audio/sniff.ts";
import { joinWav } from "./audio/wav.ts";
import type { SpeechPlan } from "./plan.ts";

export interface SynthesizeOptions {
  /** Assemble the whole file before answering (no stream, a known length). */
  whole?: boolean;
}

export async function synthesize(plan: SpeechPlan, deps: AdapterDeps, options: SynthesizeOptions = {}): Promise<TtsAudio> {
  const call = (text: string) => plan.adapter.synthesize({ ...plan.request, text }, deps);
  const [firstText, ...restTexts] = plan.parts;
  const first = await peek(await call(firstText ?? ""), SNIFF_BYTES);
  const format = checkContainer(first.head, plan);
  const meta = {
    provider: plan.adapter.name,
    model: plan.request.model,
    voice: plan.request.voice,
    format,
    contentType: TTS_CONTENT_TYPES[format],
    characters: plan.characters,
    parts: plan.parts.length,
  };
  if (restTexts.length === 0) return { ...meta, audio: options.whole ? await readAll(first.stream) : first.stream };

  if (format === "wav") {
    // The header holds the total length, so every part is in before the first byte goes out.
    const files = [await readAll(first.stream)];
    for (const text of restTexts) files.push(await readAll(await expect(await call(text), format)));
    const chunks = joinWav(files);
    return { ...meta, audio: options.whole ? concat(chunks) : fromBytes(...chunks) };
  }
  const prepare = async (source: AudioSource) => (format === "mp3" ? trimLead(await expect(source, format)) : expect(source, format));
  const stream = chain(await prepare(first.stream), restTexts.map((text) => async () => prepare(await call(text))), plan, deps);
  return { ...meta, audio: options.whole ? await readAll(stream) : stream };
}

/** The container of the first part's bytes; refuses unknown audio and audio other than the format the caller named. */
function checkContainer(head: Uint8Array, plan: SpeechPlan): TtsFormat {
  const container = sniff(head);
  const provider = plan.adapter.name;
  if (!container) throw new AppError("upstream_error", `the TTS provider (${provider}) returned bytes that are not audio in a known format`);
  if (!isTtsFormat(container)) throw new AppError("upstream_error", `the TTS provider (${provider}) returned ${container} audio, which this platform does not serve`);
  if (plan.explicitFormat && container !== plan.request.format) {
    throw new AppError("upstream_error", `the TTS provider (${provider}) returned ${container} audio where ${plan.request.format} was asked for; it is not served under the wrong label`);
  }
  return container;
}

/** The part's stream, after checking it is in the same container as the first part. */
async function expect(source: AudioSource, format: TtsFormat): Promise<ReadableStream<Uint8Array>> {
  const { head, stream } = await peek(source, SNIFF_BYTES);
  const container = sniff(head);
  if (container !== format) {
    await stream.cancel();
    throw new AppError("upstream_error", `the TTS provider returned ${container ?? "unknown"} audio for one part of the text and ${format} for another`);
  }
  return stream;
}

// An ID3 tag with cover art can be long; past this, nothing is dropped.
const MAX_LEAD = 1 << 20;

/** Drops an MP3 part's ID3v2 tag and Xing/Info frame, which would describe that part alone inside the joined file. */
async function trimLead(source: ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array>> {
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  let done = false;
  for (;;) {
    const head = concat(chunks);
    const verdict = mp3LeadToDrop(head);
    // The frame to drop can end past the bytes read so far: read on until it is all in.
    const settled = verdict !== "more" && head.length >= verdict;
    if (settled || done || head.length >= MAX_LEAD) {
      return prepend(head.subarray(verdict === "more" ? 0 : Math.min(verdict, head.length)), reader, done);
    }
    const next = await reader.read();
    if (next.done) done = true;
    else chunks.push(next.value);
  }
}

/**
 * The parts one after another as one stream. Each next part is requested while the one before streams (one ahead),
 * pulled only as fast as the reader reads; cancelling cancels the provider calls in flight.
 */
function chain(first: ReadableStream<Uint8Array>, rest: (() => Promise<ReadableStream<Uint8Array>>)[], plan: SpeechPlan, deps: AdapterDeps): ReadableStream<Uint8Array> {
  let current: ReadableStreamDefaultReader<Uint8Array> | undefined = first.getReader();
  let index = 0;
  const start = () => {
    const make = rest[index++];
    if (!make) return undefined;
    const pending = make();
    pending.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled
    return pending;
  };
  let next = start();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          if (!current) {
            if (!next) return controller.close();
            const stream = await next;
            next = start();
            current = stream.getReader();
          }
          const chunk = await current.read();
          if (!chunk.done) return controller.enqueue(chunk.value);
          current = undefined;
        }
      } catch (error) {
        const { code } = AppError.from(error).body;
        log({ kind: "rpc", traceId: deps.ctx.traceId, tenantId: deps.ctx.tenantId, service: "tts", route: "synthesize.stream", status: "error", errorCode: code, latencyMs: 0, model: plan.request.model });
        throw error;
      }
    },
    async cancel(reason) {
      await current?.cancel(reason).catch(() => {});
      void next?.then((stream) => stream.cancel(reason)).catch(() => {});
    },
  });
}
