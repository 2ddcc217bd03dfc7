// Text-to-speech through the gateway as clients see it: audio bytes, the OpenAI SDK, the feature flag, limits, usage, jobs.
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { ACME_KEY, call, eventually, gatewayUrl, postJson, testTenant, twinOnly } from "./helpers.ts";

const KEY = testTenant("test-tts").key;
// Only the usage test speaks with this tenant, so its character count moves by that test's text alone.
const USAGE_KEY = testTenant("test-tts-usage").key;

const speak = (body: unknown, path = "/v1/tts", key = KEY) =>
  fetch(`${gatewayUrl()}${path}`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });

const client = (apiKey = KEY) => new OpenAI({ baseURL: `${gatewayUrl()}/v1`, apiKey, maxRetries: 0 });

const sentences = (n: number) => Array.from({ length: n }, (_, i) => `This is sentence number ${i + 1}, and it says a few words.`).join(" ");

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));
const occurrences = (bytes: Uint8Array, text: string) => {
  let count = 0;
  for (let i = bytes.indexOf(text.charCodeAt(0)); i >= 0; i = bytes.indexOf(text.charCodeAt(0), i + 1)) if (ascii(bytes, i, text.length) === text) count++;
  return count;
};

/** Checks a canonical WAV file's header against its length and returns its format and PCM size. */
function parseWav(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(ascii(bytes, 0, 4)).toBe("RIFF");
  expect(ascii(bytes, 8, 4)).toBe("WAVE");
  expect(view.getUint32(4, true)).toBe(bytes.length - 8);
  expect(ascii(bytes, 12, 4)).toBe("fmt ");
  const fmtSize = view.getUint32(16, true);
  const dataAt = 20 + fmtSize;
  expect(ascii(bytes, dataAt, 4)).toBe("data");
  const dataBytes = view.getUint32(dataAt + 4, true);
  expect(dataBytes).toBe(bytes.length - dataAt - 8);
  const format = { codec: view.getUint16(20, true), channels: view.getUint16(22, true), sampleRate: view.getUint32(24, true), bitsPerSample: view.getUint16(34, true) };
  const seconds = dataBytes / (format.sampleRate * format.channels * (format.bitsPerSample / 8));
  return { ...format, dataBytes, seconds };
}

const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

const ttsCharacters = async (key: string) => (await call<{ day: { ttsCharacters: number } }>("/v1/usage", { key })).body.data!.day.ttsCharacters;

describe("POST /v1/tts", () => {
  it("returns a valid WAV file for a tenant with text-to-speech on", async () => {
    const res = await speak({ text: "Hello from the platform. This is a test." });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/wav");
    expect(res.headers.get("x-trace-id")).toBeTruthy();
    expect(res.headers.get("x-tts-provider")).toBe("local");
    expect(res.headers.get("x-tts-characters")).toBe("40");
    const wav = parseWav(await bytesOf(res));
    expect(wav).toMatchObject({ codec: 1, channels: 1, bitsPerSample: 16 });
    expect(wav.seconds).toBeGreaterThan(0.5);
  });

  it("streams the audio as it is produced, without a length up front", async () => {
    const res = await speak({ text: "Streaming speech, please." });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBeNull();
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(ascii(first.value!, 0, 4)).toBe("RIFF");
    await reader.cancel();
  });

  it("answers stream: false with the whole file and its length", async () => {
    const res = await speak({ text: "The whole file at once.", stream: false });
    expect(res.status).toBe(200);
    const bytes = await bytesOf(res);
    expect(Number(res.headers.get("content-length"))).toBe(bytes.length);
    parseWav(bytes);
  });

  twinOnly.it("gives longer audio for longer text", async () => {
    const short = parseWav(await bytesOf(await speak({ text: "Short." })));
    const long = parseWav(await bytesOf(await speak({ text: sentences(5) })));
    expect(long.seconds).toBeGreaterThan(short.seconds * 10);
  });

  twinOnly.it("splits text over the provider's limit at sentences and joins the parts into one correct WAV", async () => {
    const text = sentences(60); // over 3,000 characters; the local provider takes 1,000 a call
    const res = await speak({ text });
    expect(res.status).toBe(200);
    const bytes = await bytesOf(res);
    const wav = parseWav(bytes);
    expect(occurrences(bytes, "RIFF")).toBe(1);
    // The twin speaks every character for the same time: all of them, but for the spaces dropped between parts.
    const oneCall = parseWav(await bytesOf(await speak({ text: sentences(1) })));
    const expected = (oneCall.seconds / sentences(1).length) * text.length;
    expect(wav.seconds).toBeLessThanOrEqual(expected + 0.001);
    expect(wav.seconds).toBeGreaterThan(expected - 0.5);
  });

  it("answers the unversioned /tts path too", async () => {
    const res = await speak({ text: "Alias." }, "/tts");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("audio/wav");
  });

  it("answers 400 for empty or blank text", async () => {
    for (const text of ["", "   \n "]) {
      const res = await postJson("/v1/tts", { text }, KEY);
      expect(res.status).toBe(400);
      expect(res.body.error?.code).toBe("invalid_request");
      expect(res.body.error?.message).toMatch(/must not be empty/);
    }
    expect((await postJson("/v1/tts", {}, KEY)).status).toBe(400);
  });

  it("answers 413 for text over the platform's 20,000 characters", async () => {
    const res = await postJson("/v1/tts", { text: "a".repeat(20_001) }, KEY);
    expect(res.status).toBe(413);
    expect(res.body.error?.code).toBe("payload_too_large");
    expect(res.body.error?.message).toMatch(/20000/);
  });

  twinOnly.it("answers 400 naming the provider's formats for one it cannot produce, never mislabelled bytes", async () => {
    const res = await postJson("/v1/tts", { text: "Hello", format: "mp3" }, KEY);
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toMatch(/produces wav/);
    expect(res.body.error?.details).toMatchObject({ supported: ["wav"] });
    expect((await postJson("/v1/tts", { text: "Hello", format: "flac" }, KEY)).status).toBe(400);
    const wav = await speak({ text: "Hello", format: "wav" });
    expect(wav.headers.get("content-type")).toBe("audio/wav");
  });

  twinOnly.it("answers 400 for a voice the provider lacks and for a speed it cannot do", async () => {
    const voice = await postJson("/v1/tts", { text: "Hello", voice: "nobody" }, KEY);
    expect(voice.status).toBe(400);
    expect(voice.body.error?.message).toMatch(/alloy/);
    expect((await postJson("/v1/tts", { text: "Hello", speed: 1.5 }, KEY)).status).toBe(400);
    expect((await postJson("/v1/tts", { text: "Hello", speed: 9 }, KEY)).status).toBe(400);
    expect((await speak({ text: "Hello", voice: "nova", speed: 1 })).headers.get("x-tts-voice")).toBe("nova");
  });

  it("counts the characters synthesised in /v1/usage", async () => {
    expect(await ttsCharacters(USAGE_KEY)).toBe(0);
    const text = "Count these characters.";
    const res = await speak({ text }, "/v1/tts", USAGE_KEY);
    await res.arrayBuffer();
    // Counted once the stream has ended, in the background.
    await eventually(async () => expect(await ttsCharacters(USAGE_KEY)).toBe(text.length));
  });
});

twinOnly.describe("GET /v1/tts/voices", () => {
  it("lists the tenant's provider, voices and formats", async () => {
    const res = await call<{ provider: string; voices: { id: string }[]; formats: string[]; defaultVoice: string; maxChars: number }>("/v1/tts/voices", { key: KEY });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ provider: "local", formats: ["wav"], defaultVoice: "alloy", maxChars: 20_000 });
    expect(res.body.data?.voices.map((v) => v.id)).toContain("alloy");
  });
});

describe("feature flag", () => {
  it("answers 501 not_enabled in the envelope for a tenant without text-to-speech, saying how to enable it", async () => {
    const res = await postJson("/v1/tts", { text: "hello" }, ACME_KEY);
    expect(res.status).toBe(501);
    expect(res.body).toMatchObject({ ok: false, error: { code: "not_enabled" } });
    expect(res.body.error?.message).toMatch(/features\.tts/);
    expect(res.body.traceId).toBe(res.headers.get("x-trace-id"));
  });
});

describe("POST /v1/audio/speech", () => {
  it("returns audio to the official openai SDK", async () => {
    const response = await client().audio.speech.create({ model: "tts-1", voice: "alloy", input: "Hello from the OpenAI SDK." });
    expect(response.headers.get("content-type")).toBe("audio/wav");
    const wav = parseWav(new Uint8Array(await response.arrayBuffer()));
    expect(wav.seconds).toBeGreaterThan(0.5);
  });

  it("maps OpenAI's model names to the tenant's TTS model and takes response_format wav", async () => {
    for (const model of ["tts-1-hd", "gpt-4o-mini-tts"]) {
      const response = await client().audio.speech.create({ model, voice: "coral", input: "Mapped.", response_format: "wav", speed: 1 });
      expect(response.headers.get("x-tts-model")).toBe("@cf/deepgram/aura-2-en");
      parseWav(new Uint8Array(await response.arrayBuffer()));
    }
  });

  it("answers errors in OpenAI's shape with the same status and a trace id", async () => {
    const cases: [unknown, number, string][] = [
      [{ model: "tts-9", input: "Hi", voice: "alloy" }, 400, "model"],
      [{ model: "tts-1", input: "", voice: "alloy" }, 400, "input"],
      [{ model: "tts-1", input: "a".repeat(20_001), voice: "alloy" }, 413, "input"],
      [{ model: "tts-1", input: "Hi", voice: "alloy", response_format: "aac" }, 400, "response_format"],
      [{ model: "tts-1", input: "Hi", voice: "alloy", response_format: "mp3" }, 400, "response_format"],
    ];
    for (const [body, status, param] of cases) {
      const res = await speak(body, "/v1/audio/speech");
      expect(res.status).toBe(status);
      expect(res.headers.get("x-trace-id")).toBeTruthy();
      const json = (await res.json()) as { error: { message: string; type: string; code: string; param: string | null } };
      expect(json.error).toMatchObject({ param, type: "invalid_request_error" });
      expect(json.error.message.length).toBeGreaterThan(0);
      expect(typeof json.error.code).toBe("string");
    }
  });

  it("surfaces errors to the openai SDK as APIError with the status", async () => {
    const error = await client()
      .audio.speech.create({ model: "tts-1", voice: "alloy", input: "" })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
  });

  it("answers a missing key in OpenAI's shape too", async () => {
    const res = await fetch(`${gatewayUrl()}/v1/audio/speech`, { method: "POST", body: JSON.stringify({ model: "tts-1", input: "Hi", voice: "alloy" }) });
    expect(res.status).toBe(401);
    const json = (await res.json()) as { error: { code: string; type: string } };
    expect(json.error).toMatchObject({ code: "unauthorized" });
  });

  it("answers 501 in OpenAI's shape for a tenant without text-to-speech", async () => {
    const res = await speak({ model: "tts-1", input: "Hi", voice: "alloy" }, "/v1/audio/speech", ACME_KEY);
    expect(res.status).toBe(501);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe("not_enabled");
    expect(json.error.message).toMatch(/features\.tts/);
  });
});

describe("long jobs", () => {
  it("answers stream: false with long text by a job, then serves its audio from the job url", async () => {
    const text = sentences(90); // over 4,000 characters
    const accepted = await postJson("/v1/tts", { text, stream: false }, KEY);
    expect(accepted.status).toBe(202);
    const { job, url } = accepted.body.data as { job: { id: string; status: string; characters: number }; url: string };
    expect(job.status).toBe("pending");
    expect(job.characters).toBe(text.length);
    expect(accepted.headers.get("location")).toBe(url);

    const res = await eventually(
      async () => {
        const polled = await fetch(`${gatewayUrl()}${url}`, { headers: { authorization: `Bearer ${KEY}` } });
        if (polled.status === 202) await polled.arrayBuffer();
        expect(polled.status).toBe(200);
        return polled;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(res.headers.get("content-type")).toBe("audio/wav");
    const wav = parseWav(await bytesOf(res));
    expect(wav.seconds).toBeGreaterThan(100);
  });

  it("answers 404 for a job id the tenant does not have", async () => {
    const res = await call(`/v1/tts/jobs/${crypto.randomUUID()}`, { key: KEY });
    expect(res.status).toBe(404);
    expect(res.body.error?.code).toBe("not_found");
    expect((await call("/v1/tts/jobs/not-a-job", { key: KEY })).status).toBe(404);
  });
});
