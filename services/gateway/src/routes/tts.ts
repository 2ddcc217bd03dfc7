// Text-to-speech routes: POST /v1/tts (native), POST /v1/audio/speech (OpenAI-compatible), the provider's voices and
// long jobs. Audio from the tts service is relayed as it streams; characters synthesised count in the tenant's usage.
import {
  AppError,
  OpenAISpeechRequestSchema,
  TTS_LIMITS,
  TtsRequestSchema,
  checkTtsText,
  isTtsFormat,
  okResponse,
  type TtsAudioMeta,
  type TtsFormat,
  type TtsSynthesisInput,
} from "@platform/shared";
import { requestContext } from "../auth.ts";
import { parseInput, readJson } from "../body.ts";
import { addUsage } from "../limits/budget.ts";
import type { GatewayRequest } from "../request.ts";
import { caller } from "../guards.ts";

const EXTENSIONS: Record<TtsFormat, string> = { mp3: "mp3", wav: "wav", opus: "ogg" };

/** POST /v1/tts: `{ text, voice?, format?, speed?, stream? }` -> audio; `stream: false` with long text -> 202 and a job. */
export async function speech(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const who = caller(request);
  const body = parseInput(TtsRequestSchema, await readJson(request, who.tenant.limits.maxBodyBytes));
  const characters = checkTtsText(body.text);
  const rctx = requestContext(who, request.traceId, request.route);
  const input: TtsSynthesisInput = { text: body.text, voice: body.voice, format: body.format, speed: body.speed };
  if (body.stream === false && characters > TTS_LIMITS.jobAboveChars) {
    const job = await env.TTS.startJob(rctx, input);
    await addUsage(env, who.tenant.id, "ttsCharacters", job.characters);
    request.metrics = { ttsCharacters: job.characters };
    const url = `/v1/tts/jobs/${job.id}`;
    return okResponse({ job, url }, request.traceId, { status: 202, headers: { location: url } });
  }
  const result = await env.TTS.synthesize(rctx, input, { whole: body.stream === false });
  return audioResponse(request, env, result, result.audio);
}

/** GET /v1/tts/voices: the tenant's provider, model, voices, formats and limits. */
export async function voices(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const rctx = requestContext(caller(request), request.traceId, request.route);
  return okResponse(await env.TTS.voices(rctx), request.traceId);
}

/** GET /v1/tts/jobs/:id: the audio once done; before that (or on failure) the job in the envelope, 202 while pending. */
export async function job(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const rctx = requestContext(caller(request), request.traceId, request.route);
  const { job, audio } = await env.TTS.job(rctx, String(request.params.id ?? ""));
  if (audio && job.contentType) {
    const headers = { "content-type": job.contentType, "cache-control": "private, max-age=3600", "x-tts-job": job.id, "x-tts-characters": String(job.characters) };
    return new Response(audio, { headers });
  }
  const pending = job.status === "pending";
  return okResponse({ job }, request.traceId, { status: pending ? 202 : 200, headers: pending ? { "retry-after": "1" } : {} });
}

/** POST /v1/audio/speech: OpenAI's request shape (its errors come in OpenAI's shape: see isOpenAIPath). */
export async function openAISpeech(request: GatewayRequest, env: GatewayEnv): Promise<Response> {
  const who = caller(request);
  const body = parseInput(OpenAISpeechRequestSchema, await readJson(request, who.tenant.limits.maxBodyBytes));
  checkTtsText(body.input, "input");
  if (body.stream_format === "sse") throw invalidField("stream_format", 'stream_format "sse" is not supported; audio is streamed as bytes (stream_format "audio")');
  const format = body.response_format;
  if (format !== undefined && !isTtsFormat(format)) {
    throw invalidField("response_format", `response_format "${format}" is not available: this platform serves mp3, wav and opus (GET /v1/tts/voices lists the ones this tenant's provider produces)`);
  }
  const rctx = requestContext(who, request.traceId, request.route);
  const input: TtsSynthesisInput = { text: body.input, model: body.model, voice: typeof body.voice === "object" ? body.voice.id : body.voice, format, speed: body.speed, instructions: body.instructions, openaiVoices: true };
  try {
    const result = await env.TTS.synthesize(rctx, input);
    return await audioResponse(request, env, result, result.audio);
  } catch (error) {
    throw renameFields(error, { text: "input", format: "response_format" });
  }
}

async function audioResponse(request: GatewayRequest, env: GatewayEnv, meta: TtsAudioMeta, audio: ReadableStream | Uint8Array): Promise<Response> {
  request.ai = { model: meta.model };
  request.metrics = { ttsCharacters: meta.characters };
  // Counted once the provider has started: a stream that breaks later still cost the provider its characters.
  await addUsage(env, request.caller?.tenant.id ?? "", "ttsCharacters", meta.characters);
  return new Response(audio, {
    headers: {
      "content-type": meta.contentType,
      "content-disposition": `inline; filename="speech.${EXTENSIONS[meta.format]}"`,
      "cache-control": "no-store",
      "x-tts-provider": meta.provider,
      "x-tts-model": meta.model,
      "x-tts-voice": meta.voice,
      "x-tts-characters": String(meta.characters),
    },
  });
}

/** The same error with the service's field names as this route's (OpenAI's `param` comes from them). */
function renameFields(error: unknown, names: Record<string, string>): AppError {
  const appError = AppError.from(error);
  const { code, message, details, retryAfter } = appError.body;
  const nested = typeof details === "object" && details !== null ? (details as { nested?: Record<string, unknown> }).nested : undefined;
  if (!nested) return appError;
  const renamed = Object.fromEntries(Object.entries(nested).map(([field, issues]) => [names[field] ?? field, issues]));
  const extra: { details: unknown; retryAfter?: number } = { details: { ...(details as object), nested: renamed } };
  if (retryAfter !== undefined) extra.retryAfter = retryAfter;
  return new AppError(code, message, extra);
}

function invalidField(field: string, message: string): AppError {
  return new AppError("invalid_request", message, { details: { nested: { [field]: [message] } } });
}
