// The console's only way out: same-origin fetches to the gateway with the session's key, envelopes unwrapped.
import { getKey } from "./session.ts";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly traceId: string | null,
    /** Seconds to wait, from Retry-After (429). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/** Gateway time of the console's own requests (Server-Timing), the latency chart's data until a time series exists. */
export const latencySamples: { t: number; ms: number }[] = [];

interface CallInit {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  key?: string;
}

/** Raw response of a gateway call; throws ApiError on a non-2xx answer. */
export async function request(path: string, init: CallInit = {}): Promise<Response> {
  const headers = new Headers();
  const key = init.key ?? getKey();
  if (key) headers.set("authorization", `Bearer ${key}`);
  if (init.body !== undefined) headers.set("content-type", "application/json");
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
      credentials: "omit",
      cache: "no-store",
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "network", "The gateway could not be reached. Check your connection and try again.", null);
  }
  recordLatency(response);
  if (!response.ok) throw await toError(response);
  return response;
}

/** JSON of a gateway call: the envelope's `data`, or the body as is for OpenAI-shaped routes. */
export async function api<T>(path: string, init: CallInit = {}): Promise<T> {
  const body = (await (await request(path, init)).json()) as { ok?: boolean; data?: T };
  return (body.ok === true ? body.data : body) as T;
}

async function toError(response: Response): Promise<ApiError> {
  const traceId = response.headers.get("x-trace-id");
  const retry = Number(response.headers.get("retry-after"));
  let code = `http_${response.status}`;
  let message = response.statusText || "The request failed.";
  try {
    const body = (await response.json()) as { error?: { code?: string | null; type?: string; message?: string } };
    code = body.error?.code ?? body.error?.type ?? code;
    message = body.error?.message ?? message;
  } catch {
    // not JSON: keep the status text
  }
  return new ApiError(response.status, code, message, traceId, Number.isFinite(retry) && retry > 0 ? retry : null);
}

function recordLatency(response: Response): void {
  const match = /gateway;dur=(\d+(?:\.\d+)?)/.exec(response.headers.get("server-timing") ?? "");
  if (!match) return;
  latencySamples.push({ t: Date.now(), ms: Number(match[1]) });
  if (latencySamples.length > 500) latencySamples.shift();
}

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Server-sent events of a response body, as they arrive. */
export async function* readSse(response: Response): AsyncGenerator<SseEvent> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of frame.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
      }
      if (data.length === 0) continue;
      try {
        yield { event, data: JSON.parse(data.join("\n")) };
      } catch {
        yield { event, data: data.join("\n") };
      }
    }
  }
}
