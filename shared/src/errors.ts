// Error codes, their HTTP status (the one table), and an error that survives RPC and repeats little of the input.
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  tenant_mismatch: 403,
  feature_disabled: 403,
  tenant_disabled: 403,
  not_found: 404,
  unknown_tenant: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  budget_exceeded: 429,
  internal: 500,
  not_enabled: 501,
  upstream_error: 502,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: unknown;
  retryAfter?: number;
}

// RPC keeps only an error's name and message, so the whole body travels as
// JSON inside the message behind this marker.
const MARKER = "AppError:";

/**
 * How much an error may repeat of what the client sent (valibot's issues quote the received value; ingest's
 * rejections name the document): each string is cut, and details hold a bounded number of values and characters.
 */
export const ERROR_ECHO_LIMITS = { messageChars: 600, stringChars: 200, detailChars: 1500, detailValues: 200, detailDepth: 8 } as const;

export class AppError extends Error {
  readonly body: ErrorBody;

  constructor(code: ErrorCode, message: string, extra: { details?: unknown; retryAfter?: number } = {}) {
    const body: ErrorBody = { code, message: capText(message, ERROR_ECHO_LIMITS.messageChars) };
    if (extra.details !== undefined) body.details = boundDetails(extra.details);
    if (extra.retryAfter !== undefined) body.retryAfter = extra.retryAfter;
    super(MARKER + JSON.stringify(body));
    this.name = "AppError";
    this.body = body;
  }

  get status(): number {
    return ERROR_STATUS[this.body.code];
  }

  /** Rebuilds an AppError from anything thrown here or across RPC; unknown errors become `internal`. */
  static from(error: unknown): AppError {
    if (error instanceof AppError) return error;
    const message = error instanceof Error ? error.message : String(error);
    const at = message.indexOf(MARKER);
    if (at >= 0) {
      try {
        const body = JSON.parse(message.slice(at + MARKER.length)) as ErrorBody;
        if (body.code in ERROR_STATUS) return new AppError(body.code, body.message, body);
      } catch {
        // fall through: a message that only looks like ours
      }
    }
    return new AppError("internal", "internal server error");
  }
}

/** `text` cut to at most `max` characters, ending in "…" when it was cut. */
export function capText(text: string, max: number = ERROR_ECHO_LIMITS.stringChars): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** A copy of `details` within ERROR_ECHO_LIMITS: long strings (keys too) cut, values past the budget left out. */
function boundDetails(details: unknown): unknown {
  const { stringChars, detailChars, detailValues, detailDepth } = ERROR_ECHO_LIMITS;
  let chars = detailChars;
  let values = detailValues;
  const text = (value: string) => {
    const out = capText(value, Math.max(1, Math.min(stringChars, chars)));
    chars -= out.length;
    return out;
  };
  const walk = (value: unknown, depth: number): unknown => {
    values--;
    if (typeof value === "string") return text(value);
    if (typeof value !== "object" || value === null) return value;
    const room = () => values > 0 && chars > 0 && depth < detailDepth;
    if (Array.isArray(value)) {
      const items: unknown[] = [];
      for (const item of value) {
        if (!room()) break;
        items.push(walk(item, depth + 1));
      }
      return items;
    }
    const entries: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) {
      if (!room()) break;
      entries.push([text(key), walk(item, depth + 1)]);
    }
    // fromEntries defines own properties, so a key such as "__proto__" stays data.
    return Object.fromEntries(entries);
  };
  return walk(details, 0);
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const invalid = (message: string, details?: unknown) =>
  new AppError("invalid_request", message, details === undefined ? {} : { details });
