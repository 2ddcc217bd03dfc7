// Planning a synthesis: the tenant's adapter, formats, voices, OpenAI model and voice names, speed and text limits.
import { describe, expect, it } from "vitest";
import { AppError } from "@platform/shared";
import { planSpeech, providerInfo } from "./plan.ts";
import { tenant } from "./testing.ts";

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return AppError.from(error).body;
  }
  throw new Error("expected a refusal");
};

describe("planSpeech", () => {
  it("uses the tenant's provider with its defaults", () => {
    const plan = planSpeech(tenant({ provider: "local", voice: "alloy" }), { text: "Hello." });
    expect(plan.adapter.name).toBe("local");
    expect(plan.request).toMatchObject({ format: "wav", voice: "alloy", model: "@cf/deepgram/aura-2-en" });
    expect(plan).toMatchObject({ explicitFormat: false, characters: 6, parts: ["Hello."] });
  });

  it("refuses a format the provider cannot produce with 400 naming the ones it can", () => {
    const error = refusal(() => planSpeech(tenant({ provider: "local" }), { text: "Hi", format: "mp3" }));
    expect(error.code).toBe("invalid_request");
    expect(error.message).toMatch(/\(local\) produces wav/);
    expect(error.details).toMatchObject({ nested: { format: [expect.any(String)] }, supported: ["wav"] });
    expect(planSpeech(tenant({ provider: "aura" }), { text: "Hi", format: "opus" }).request.format).toBe("opus");
  });

  it("answers 400 for empty text and 413 past 20,000 characters", () => {
    expect(refusal(() => planSpeech(tenant(), { text: " \n" })).code).toBe("invalid_request");
    expect(refusal(() => planSpeech(tenant(), { text: "x".repeat(20_001) })).code).toBe("payload_too_large");
    expect(planSpeech(tenant(), { text: "x".repeat(20_000) }).parts).toHaveLength(20);
  });

  it("takes a voice the provider has and refuses one it lacks, listing its voices", () => {
    expect(planSpeech(tenant({ provider: "aura" }), { text: "Hi", voice: "luna" }).request.voice).toBe("luna");
    const error = refusal(() => planSpeech(tenant({ provider: "aura" }), { text: "Hi", voice: "alloy" }));
    expect(error.message).toMatch(/asteria/);
    expect(error.details).toMatchObject({ nested: { voice: [expect.any(String)] } });
  });

  it("lets OpenAI's voice names fall back to the tenant's voice on the OpenAI route", () => {
    const aura = tenant({ provider: "aura", voice: "luna" });
    expect(planSpeech(aura, { text: "Hi", voice: "alloy", openaiVoices: true }).request.voice).toBe("luna");
    expect(planSpeech(tenant({ provider: "melotts" }), { text: "Hi", voice: "nova", openaiVoices: true }).request.voice).toBe("en");
  });

  it("ignores a tenant voice its provider does not have", () => {
    expect(planSpeech(tenant({ provider: "aura", voice: "alloy" }), { text: "Hi" }).request.voice).toBe("asteria");
  });

  it("passes any voice to a self-hosted OpenAI-compatible server", () => {
    const kokoro = tenant({ provider: "openai-compatible", url: "http://kokoro.local/v1", voice: "af_bella" }, { tts: "kokoro" });
    expect(planSpeech(kokoro, { text: "Hi" }).request).toMatchObject({ voice: "af_bella", model: "kokoro", format: "mp3" });
    expect(planSpeech(kokoro, { text: "Hi", voice: "am_adam" }).request.voice).toBe("am_adam");
  });

  it("maps OpenAI's model names to the tenant's TTS model and refuses others", () => {
    for (const model of ["tts-1", "tts-1-hd", "gpt-4o-mini-tts", "@cf/myshell-ai/melotts"]) {
      expect(planSpeech(tenant({ provider: "melotts" }), { text: "Hi", model }).request.model).toBe("@cf/myshell-ai/melotts");
    }
    const error = refusal(() => planSpeech(tenant({ provider: "melotts" }), { text: "Hi", model: "whisper" }));
    expect(error.details).toMatchObject({ nested: { model: [expect.any(String)] } });
  });

  it("uses the tenant's models.tts when it suits the provider, else the provider's default model", () => {
    expect(planSpeech(tenant({ provider: "aura" }, { tts: "@cf/deepgram/aura-1" }), { text: "Hi" }).request.model).toBe("@cf/deepgram/aura-1");
    expect(planSpeech(tenant({ provider: "aura" }), { text: "Hi" }).request.model).toBe("@cf/deepgram/aura-2-en");
    expect(planSpeech(tenant({ provider: "openai-compatible", url: "https://api.openai.com/v1" }), { text: "Hi" }).request.model).toBe("tts-1");
  });

  it("passes a speed to providers that take one and refuses it for the others", () => {
    const openai = tenant({ provider: "openai-compatible", url: "https://api.openai.com/v1" });
    expect(planSpeech(openai, { text: "Hi", speed: 1.25 }).request.speed).toBe(1.25);
    expect(planSpeech(tenant(), { text: "Hi", speed: 1 }).request.speed).toBeUndefined();
    expect(refusal(() => planSpeech(tenant(), { text: "Hi", speed: 2 })).details).toMatchObject({ nested: { speed: [expect.any(String)] } });
  });

  it("splits text over the provider's per-call limit", () => {
    const text = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} is here.`).join(" ");
    const plan = planSpeech(tenant({ provider: "local" }), { text });
    expect(plan.parts.length).toBe(2);
    expect(plan.characters).toBe(text.length);
  });
});

describe("providerInfo", () => {
  it("describes the tenant's provider for GET /v1/tts/voices", () => {
    const info = providerInfo(tenant({ provider: "aura", voice: "luna" }));
    expect(info).toMatchObject({ provider: "aura", model: "@cf/deepgram/aura-2-en", defaultVoice: "luna", formats: ["mp3", "wav", "opus"], streaming: true, maxCharsPerCall: 2000, maxChars: 20_000 });
    expect(info.voices.map((v) => v.id)).toContain("thalia");
  });
});
