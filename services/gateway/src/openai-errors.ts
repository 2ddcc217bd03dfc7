// OpenAI's response shape for the OpenAI-compatible paths: bare JSON, and errors as `{ error: { message, type, code,
// param } }` with the status of our error table, so the official SDKs and the AI SDK read them unchanged.
import { AppError, ERROR_ECHO_LIMITS, capText } from "@platform/shared";

const OPENAI_PATHS = new Set(["/v1/chat/completions", "/v1/models", "/v1/embeddings", "/v1/audio/speech"]);

export function isOpenAIPath(url: string): boolean {
  return OPENAI_PATHS.has(new URL(url).pathname.replace(/\/+$/, ""));
}

/** An error in OpenAI's shape `{ error: { message, type, code, param } }`, with the status of our error table. */
export function openAIErrorResponse(error: unknown, traceId: string): Response {
  const appError = AppError.from(error);
  const { code, message, details, retryAfter } = appError.body;
  const fields = fieldErrors(details);
  // Field issues the message does not already say are appended, for clients that show only the message.
  const extra = fields.filter(([, issues]) => !issues.every((issue) => message.includes(issue)));
  const headers: Record<string, string> = { "x-trace-id": traceId };
  if (retryAfter !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(retryAfter)));
  const text = extra.length ? `${message}: ${extra.map(([field, issues]) => `${field}: ${issues.join(", ")}`).join("; ")}` : message;
  const body = { error: { message: capText(text, ERROR_ECHO_LIMITS.messageChars), type: errorType(appError.status, code), code, param: fields[0]?.[0] ?? null } };
  return openAIJson(body, headers, appError.status);
}

/** A JSON answer without the platform's envelope, as OpenAI's API answers. */
export function openAIJson(body: unknown, headers: Record<string, string> = {}, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

function errorType(status: number, code: string): string {
  if (code === "budget_exceeded") return "insufficient_quota";
  const types: Record<number, string> = { 401: "authentication_error", 403: "permission_error", 404: "not_found_error", 429: "rate_limit_error" };
  return types[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

/** valibot's flattened `nested` issues as [field, messages] pairs. */
function fieldErrors(details: unknown): [string, string[]][] {
  const nested = typeof details === "object" && details !== null ? (details as { nested?: unknown }).nested : undefined;
  if (typeof nested !== "object" || nested === null) return [];
  return Object.entries(nested).filter((entry): entry is [string, string[]] => Array.isArray(entry[1]));
}
