// Error codes, their HTTP status (the one table), and an error that survives RPC.
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  tenant_mismatch: 403,
  feature_disabled: 403,
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

export class AppError extends Error {
  readonly body: ErrorBody;

  constructor(code: ErrorCode, message: string, extra: { details?: unknown; retryAfter?: number } = {}) {
    const body: ErrorBody = { code, message, ...extra };
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

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const invalid = (message: string, details?: unknown) =>
  new AppError("invalid_request", message, details === undefined ? {} : { details });
