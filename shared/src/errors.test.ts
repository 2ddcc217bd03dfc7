// AppError: codes map to status in one table and survive a trip through an error message (as over RPC).
import { describe, expect, it } from "vitest";
import { AppError, ERROR_STATUS } from "./errors.ts";
import { errorResponse } from "./envelope.ts";

describe("AppError", () => {
  it("rebuilds code, details and retryAfter from the message alone", () => {
    const original = new AppError("rate_limited", "slow down", { retryAfter: 7, details: { limit: 60 } });
    const acrossRpc = new Error(original.message);
    expect(AppError.from(acrossRpc).body).toEqual({ code: "rate_limited", message: "slow down", retryAfter: 7, details: { limit: 60 } });
  });

  it("hides unknown errors as internal", () => {
    const error = AppError.from(new TypeError("cannot read properties of undefined (secret detail)"));
    expect(error.body).toEqual({ code: "internal", message: "internal server error" });
    expect(error.status).toBe(500);
  });

  it("maps every code to a 4xx or 5xx status", () => {
    for (const status of Object.values(ERROR_STATUS)) expect(status).toBeGreaterThanOrEqual(400);
    expect(ERROR_STATUS.tenant_mismatch).toBe(403);
    expect(ERROR_STATUS.not_enabled).toBe(501);
  });
});

describe("errorResponse", () => {
  it("answers the envelope with status, trace id and Retry-After", async () => {
    const response = errorResponse(new AppError("budget_exceeded", "out of tokens", { retryAfter: 12.2 }), "trace-1");
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("13");
    expect(response.headers.get("x-trace-id")).toBe("trace-1");
    expect(await response.json()).toEqual({ ok: false, error: { code: "budget_exceeded", message: "out of tokens" }, traceId: "trace-1" });
  });
});
