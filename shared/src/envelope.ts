// The one response envelope every JSON answer of the platform uses.
import { AppError, type ErrorBody } from "./errors.ts";

export type Envelope<T> =
  | { ok: true; data: T; traceId: string }
  | { ok: false; error: Omit<ErrorBody, "retryAfter">; traceId: string };

export function okResponse<T>(data: T, traceId: string, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("x-trace-id", traceId);
  return new Response(JSON.stringify({ ok: true, data, traceId } satisfies Envelope<T>), { ...init, headers });
}

export function errorResponse(error: unknown, traceId: string): Response {
  const appError = AppError.from(error);
  const { retryAfter, ...body } = appError.body;
  const headers = new Headers({ "content-type": "application/json; charset=utf-8", "x-trace-id": traceId });
  if (retryAfter !== undefined) headers.set("retry-after", String(Math.max(1, Math.ceil(retryAfter))));
  const envelope: Envelope<never> = { ok: false, error: body, traceId };
  return new Response(JSON.stringify(envelope), { status: appError.status, headers });
}
