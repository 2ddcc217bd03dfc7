// An OpenAI-compatible speech endpoint (OpenAI itself, or a self-hosted Kokoro or Piper server): POST `${tts.url}/audio/speech`
// with `Authorization: Bearer <secret TTS_API_KEY_<TENANT>>`; the audio is relayed as the server sends it.
import { AppError, OPENAI_VOICES } from "@platform/shared";
import type { TtsAdapter } from "./types.ts";
import { isRecord } from "@platform/shared";

const DEFAULT_MODEL = "tts-1";
const TIMEOUT_MS = 30_000;

/** The Worker secret holding a tenant's key for its speech server: `TTS_API_KEY_` and the id in upper case. */
export function apiKeySecretName(tenantId: string): string {
  return `TTS_API_KEY_${tenantId.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

export const openaiCompatible: TtsAdapter = {
  name: "openai-compatible",
  profile: (tenant) => {
    const voice = tenant.tts.voice ?? "alloy";
    return {
      // A Workers AI model name means nothing to the server; the tenant names its server's model in models.tts.
      model: /^@(cf|hf)\//.test(tenant.models.tts) ? DEFAULT_MODEL : tenant.models.tts,
      voices: [...new Set([voice, ...OPENAI_VOICES])].map((id) => ({ id, name: id })),
      defaultVoice: voice,
      anyVoice: true,
      formats: ["mp3", "wav", "opus"],
      defaultFormat: "mp3",
      streaming: true,
      speed: true,
      // OpenAI's limit per request; Kokoro and Piper servers take at least as much.
      maxCharsPerCall: 4_096,
    };
  },
  async synthesize(request, deps) {
    const base = deps.ctx.tenant.tts.url;
    if (!base) throw new AppError("not_enabled", "the tenant's TTS provider is openai-compatible but tts.url is not set in its tenant.json");
    const secret = apiKeySecretName(deps.ctx.tenantId);
    const key = deps.secret(secret);
    const headers: Record<string, string> = { "content-type": "application/json", accept: "audio/*" };
    // Self-hosted servers often run without auth: no secret, no header.
    if (key) headers.authorization = `Bearer ${key}`;
    const body: Record<string, unknown> = { model: request.model, input: request.text, voice: request.voice, response_format: request.format };
    if (request.speed !== undefined) body.speed = request.speed;
    if (request.instructions !== undefined) body.instructions = request.instructions;

    let response: Response;
    try {
      response = await deps.fetch(`${base.replace(/\/+$/, "")}/audio/speech`, { method: "POST", headers, body: JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw new AppError("upstream_error", `the TTS provider could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!response.ok) throw await providerError(response, secret);
    if (!response.body) throw new AppError("upstream_error", "the TTS provider returned no audio");
    return response.body as ReadableStream<Uint8Array>;
  },
};

/** The provider's error as ours: its 4xx about the request pass through as 400/413/429; credentials and 5xx are 502. */
export async function providerError(response: Response, secret: string): Promise<AppError> {
  const message = errorMessage(await response.text().catch(() => ""));
  const said = message ? `: ${message}` : "";
  switch (response.status) {
    case 400:
    case 422:
      return new AppError("invalid_request", `the TTS provider refused the request${said}`);
    case 401:
    case 403:
      return new AppError("upstream_error", `the TTS provider rejected the platform's credentials (${response.status}); check the secret ${secret}`);
    case 413:
      return new AppError("payload_too_large", `the TTS provider refused the text as too large${said}`);
    case 429: {
      const retryAfter = Number(response.headers.get("retry-after"));
      return new AppError("rate_limited", `the TTS provider is rate limiting this tenant${said}`, { retryAfter: retryAfter > 0 ? retryAfter : 1 });
    }
    default:
      return new AppError("upstream_error", `the TTS provider answered ${response.status}${said}`);
  }
}

/** OpenAI's `{ error: { message } }`, FastAPI's `{ detail }` (Kokoro), or the text itself, shortened. */
function errorMessage(text: string): string {
  let message = text.trim();
  try {
    const body: unknown = JSON.parse(text);
    if (isRecord(body)) {
      const { error, detail } = body;
      if (isRecord(error) && typeof error.message === "string") message = error.message;
      else if (typeof error === "string") message = error;
      else if (typeof detail === "string") message = detail;
      else if (isRecord(detail) && typeof detail.message === "string") message = detail.message;
      else if (Array.isArray(detail)) message = detail.map((d) => (isRecord(d) && typeof d.msg === "string" ? d.msg : JSON.stringify(d))).join("; ");
    }
  } catch {
    // not JSON: the text as it is
  }
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}
