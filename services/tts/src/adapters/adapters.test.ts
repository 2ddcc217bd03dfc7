// Contract tests of each adapter against fakes answering in the providers' recorded shapes: MeloTTS's base64 JSON,
// Aura's streamed bytes (raw Response), an OpenAI-compatible server's binary body, and their error bodies.
import { describe, expect, it } from "vitest";
import type { AiRunner } from "@platform/shared";
import { base64, bytesOf, chunked, context, deps, failure, mp3, tenant, wav } from "../testing.ts";
import { ADAPTERS } from "../registry.ts";
import { aura } from "./aura.ts";
import { local } from "./local.ts";
import { melotts } from "./melotts.ts";
import { apiKeySecretName, openaiCompatible } from "./openai-compatible.ts";
import type { SpeechRequest } from "./types.ts";

interface AiCall {
  model: string;
  inputs: Record<string, unknown>;
  options?: Record<string, unknown>;
}

/** A Workers AI binding that records its calls and answers with `answer`. */
function fakeAi(answer: (call: AiCall) => unknown): { ai: AiRunner; calls: AiCall[] } {
  const calls: AiCall[] = [];
  const ai: AiRunner = {
    async run(model, inputs, options) {
      const call = { model, inputs, options: options as Record<string, unknown> | undefined };
      calls.push(call);
      return answer(call);
    },
  };
  return { ai, calls };
}

interface FetchCall {
  url: string;
  init: RequestInit;
}

type Fetch = typeof globalThis.fetch;

function fakeFetch(answer: () => Response): { fetch: Fetch; calls: FetchCall[] } {
  const calls: FetchCall[] = [];
  const fake = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return answer();
  }) as Fetch;
  return { fetch: fake, calls };
}

const request = (over: Partial<SpeechRequest> = {}): SpeechRequest => ({ text: "Hello there.", voice: "en", format: "mp3", model: "@cf/myshell-ai/melotts", ...over });

describe("registry", () => {
  it("has an adapter for every provider the tenant schema allows", () => {
    expect(Object.keys(ADAPTERS).sort()).toEqual(["aura", "local", "melotts", "openai-compatible"]);
    for (const [name, adapter] of Object.entries(ADAPTERS)) expect(adapter.name).toBe(name);
  });
});

describe("melotts adapter", () => {
  const audio = mp3(3, 0x22, { id3: true });

  it("sends { prompt, lang } and decodes { audio: base64 MP3 }", async () => {
    const { ai, calls } = fakeAi(() => ({ audio: base64(audio) }));
    const out = await melotts.synthesize(request({ voice: "fr" }), deps({ ai }));
    expect(await bytesOf(out)).toEqual(audio);
    expect(calls).toEqual([{ model: "@cf/myshell-ai/melotts", inputs: { prompt: "Hello there.", lang: "fr" }, options: {} }]);
  });

  it("passes the tenant's AI Gateway on the call", async () => {
    const settings = tenant({ provider: "melotts" });
    settings.aiGateway = { id: "gw-1" };
    const { ai, calls } = fakeAi(() => ({ audio: base64(audio) }));
    await melotts.synthesize(request(), deps({ ai, ctx: context(settings) }));
    expect(calls[0]?.options).toMatchObject({ gateway: { id: "gw-1", metadata: { tenantId: "demo", service: "tts" } } });
  });

  it("answers 502 upstream_error when Workers AI fails or returns no audio", async () => {
    const broken = fakeAi(() => Promise.reject(new Error("AiError: 3043: Internal server error")));
    const error = await failure(() => melotts.synthesize(request(), deps({ ai: broken.ai })));
    expect(error).toMatchObject({ code: "upstream_error" });
    expect(error.message).toMatch(/3043/);
    expect(await failure(async () => melotts.synthesize(request(), deps({ ai: fakeAi(() => ({})).ai })))).toMatchObject({ code: "upstream_error" });
    expect(await failure(async () => melotts.synthesize(request(), deps({ ai: fakeAi(() => ({ audio: "%%%" })).ai })))).toMatchObject({ code: "upstream_error" });
  });

  it("offers MP3 only, one voice per language", () => {
    expect(melotts.profile(tenant())).toMatchObject({ formats: ["mp3"], defaultVoice: "en", streaming: false });
  });
});

describe("aura adapter", () => {
  const audio = mp3(20, 0x33);

  it("sends { text, speaker, encoding } for MP3 and relays the raw response's byte stream", async () => {
    const { ai, calls } = fakeAi(() => new Response(chunked(audio, 512), { headers: { "content-type": "audio/mpeg" } }));
    const out = await aura.synthesize(request({ model: "@cf/deepgram/aura-2-en", voice: "luna" }), deps({ ai }));
    expect(out).toBeInstanceOf(ReadableStream);
    expect(await bytesOf(out)).toEqual(audio);
    expect(calls[0]).toMatchObject({ model: "@cf/deepgram/aura-2-en", inputs: { text: "Hello there.", speaker: "luna", encoding: "mp3" }, options: { returnRawResponse: true } });
    expect(calls[0]?.inputs.container).toBeUndefined();
  });

  it("asks for linear16 in WAV and Opus in Ogg", async () => {
    const { ai, calls } = fakeAi(() => new Response(chunked(wav(100))));
    await aura.synthesize(request({ model: "@cf/deepgram/aura-1", voice: "asteria", format: "wav" }), deps({ ai }));
    await aura.synthesize(request({ model: "@cf/deepgram/aura-1", voice: "asteria", format: "opus" }), deps({ ai }));
    expect(calls.map((c) => [c.inputs.encoding, c.inputs.container])).toEqual([["linear16", "wav"], ["opus", "ogg"]]);
  });

  it("takes a plain byte stream too (the binding's default output)", async () => {
    const { ai } = fakeAi(() => chunked(audio));
    expect(await bytesOf(await aura.synthesize(request({ model: "@cf/deepgram/aura-1" }), deps({ ai })))).toEqual(audio);
  });

  it("answers 502 for an error response", async () => {
    const body = JSON.stringify({ errors: [{ message: "AiError: 5006: speaker not valid", code: 5006 }], success: false, result: {}, messages: [] });
    const { ai } = fakeAi(() => new Response(body, { status: 400, headers: { "content-type": "application/json" } }));
    const error = await failure(() => aura.synthesize(request({ model: "@cf/deepgram/aura-1" }), deps({ ai })));
    expect(error.code).toBe("upstream_error");
    expect(error.message).toMatch(/400.*5006/);
  });
});

describe("local adapter", () => {
  it("asks the twin for WAV and relays its stream", async () => {
    const audio = wav(1600);
    const { ai, calls } = fakeAi(() => new Response(chunked(audio, 4096), { headers: { "content-type": "application/octet-stream" } }));
    const out = await local.synthesize(request({ model: "@cf/deepgram/aura-2-en", voice: "alloy", format: "wav" }), deps({ ai }));
    expect(await bytesOf(out)).toEqual(audio);
    expect(calls[0]).toMatchObject({ inputs: { text: "Hello there.", encoding: "linear16", container: "wav" }, options: { returnRawResponse: true } });
    expect(calls[0]?.inputs.speaker).toBeUndefined();
  });
});

describe("openai-compatible adapter", () => {
  const settings = tenant({ provider: "openai-compatible", url: "https://speech.example/v1/", voice: "af_bella" }, { tts: "kokoro" });
  const ctx = context(settings);
  const secrets: Record<string, string> = { TTS_API_KEY_DEMO: "sk-provider-secret" };
  const audio = mp3(5, 0x44);
  const speak = (fetch: Fetch, over: Partial<SpeechRequest> = {}, withSecrets = secrets) =>
    openaiCompatible.synthesize(request({ model: "kokoro", voice: "af_bella", ...over }), deps({ fetch, ctx, secrets: withSecrets }));

  it("posts OpenAI's speech request with the tenant's key and relays the binary body", async () => {
    const { fetch, calls } = fakeFetch(() => new Response(chunked(audio), { headers: { "content-type": "audio/mpeg" } }));
    const out = await speak(fetch, { speed: 1.5, instructions: "Cheerful." });
    expect(await bytesOf(out)).toEqual(audio);
    expect(calls[0]?.url).toBe("https://speech.example/v1/audio/speech");
    const headers = new Headers(calls[0]?.init.headers);
    expect(headers.get("authorization")).toBe("Bearer sk-provider-secret");
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ model: "kokoro", input: "Hello there.", voice: "af_bella", response_format: "mp3", speed: 1.5, instructions: "Cheerful." });
  });

  it("sends no Authorization header when the tenant has no key (a self-hosted server without auth)", async () => {
    const { fetch, calls } = fakeFetch(() => new Response(audio));
    await speak(fetch, {}, {});
    expect(new Headers(calls[0]?.init.headers).has("authorization")).toBe(false);
  });

  it("names the secret after the tenant id", () => {
    expect(apiKeySecretName("demo")).toBe("TTS_API_KEY_DEMO");
    expect(apiKeySecretName("big-co")).toBe("TTS_API_KEY_BIG_CO");
  });

  it("maps the provider's error bodies: 400 and 422 pass through, credentials and 5xx are 502, 429 keeps Retry-After", async () => {
    const openaiError = (message: string, code: string | null = null) => JSON.stringify({ error: { message, type: "invalid_request_error", param: null, code } });
    const cases: [Response, string, RegExp][] = [
      [new Response(openaiError("Input is too long"), { status: 400 }), "invalid_request", /refused the request: Input is too long/],
      [new Response(JSON.stringify({ detail: { error: "validation_error", message: "Voice 'xx' not found" } }), { status: 400 }), "invalid_request", /Voice 'xx' not found/],
      [new Response(JSON.stringify({ detail: [{ loc: ["body", "speed"], msg: "Input should be less than or equal to 4" }] }), { status: 422 }), "invalid_request", /less than or equal to 4/],
      [new Response(openaiError("Incorrect API key provided: sk-prov***", "invalid_api_key"), { status: 401 }), "upstream_error", /TTS_API_KEY_DEMO/],
      [new Response(openaiError("Rate limit reached"), { status: 429, headers: { "retry-after": "7" } }), "rate_limited", /Rate limit reached/],
      [new Response("upstream connect error", { status: 503 }), "upstream_error", /503: upstream connect error/],
    ];
    for (const [response, code, message] of cases) {
      const error = await failure(() => speak(fakeFetch(() => response).fetch));
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.message).not.toMatch(/sk-provider-secret/);
      if (code === "rate_limited") expect(error.retryAfter).toBe(7);
    }
  });

  it("answers 502 when the server cannot be reached and 501 when the tenant has no tts.url", async () => {
    const unreachable = (async () => Promise.reject(new TypeError("fetch failed"))) as Fetch;
    expect(await failure(() => speak(unreachable))).toMatchObject({ code: "upstream_error" });
    const noUrl = context(tenant({ provider: "openai-compatible" }));
    const error = await failure(() => openaiCompatible.synthesize(request(), deps({ ctx: noUrl, fetch: fakeFetch(() => new Response(audio)).fetch })));
    expect(error).toMatchObject({ code: "not_enabled" });
    expect(error.message).toMatch(/tts\.url/);
  });

  it("offers every format and takes any voice, listing the tenant's first", () => {
    const profile = openaiCompatible.profile(settings);
    expect(profile).toMatchObject({ model: "kokoro", formats: ["mp3", "wav", "opus"], anyVoice: true, speed: true, defaultVoice: "af_bella" });
    expect(profile.voices[0]?.id).toBe("af_bella");
  });
});
