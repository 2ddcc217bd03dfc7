// AppError: codes map to status in one table and survive a trip through an error message (as over RPC).
import { describe, expect, it } from "vitest";
import { AppError, ERROR_ECHO_LIMITS, ERROR_STATUS, capText } from "./errors.ts";
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

describe("what an error repeats of the input", () => {
  const big = "x".repeat(300_000);

  it("cuts a long message and every long string in details, keys included", () => {
    const error = new AppError("invalid_request", `bad value "${big}"`, { details: { nested: { [big]: [`Invalid key: received "${big}"`] } } });
    expect(error.body.message).toHaveLength(ERROR_ECHO_LIMITS.messageChars);
    expect(error.body.message.endsWith("…")).toBe(true);
    const [[key, issues]] = Object.entries((error.body.details as { nested: Record<string, string[]> }).nested) as [[string, string[]]];
    expect(key).toHaveLength(ERROR_ECHO_LIMITS.stringChars);
    expect(issues[0]).toHaveLength(ERROR_ECHO_LIMITS.stringChars);
    expect(error.message.length).toBeLessThan(1500);
  });

  it("keeps at most a budget of values and characters in details, however many the input had", () => {
    const documents = Array.from({ length: 500 }, (_, index) => ({ index, id: big, reason: "id may have at most 128 characters" }));
    const details = new AppError("invalid_request", "no document was accepted", { details: { documents } }).body.details as { documents: { index: number }[] };
    expect(JSON.stringify(details).length).toBeLessThan(ERROR_ECHO_LIMITS.detailChars + 1000);
    expect(details.documents[0]).toEqual({ index: 0, id: capText(big), reason: "id may have at most 128 characters" });
  });

  it("leaves small details as they are, and survives RPC unchanged", () => {
    const original = new AppError("invalid_request", "bad", { details: { nested: { "a.b": ["too long"] }, limit: 3, ok: false, none: null } });
    expect(original.body.details).toEqual({ nested: { "a.b": ["too long"] }, limit: 3, ok: false, none: null });
    expect(AppError.from(new Error(original.message)).body).toEqual(original.body);
  });

  it("keeps a key named __proto__ as data", () => {
    const details = new AppError("invalid_request", "bad", { details: JSON.parse('{"__proto__": {"polluted": true}}') }).body.details as object;
    expect(Object.getPrototypeOf(details)).toBe(Object.prototype);
    expect(Object.keys(details)).toEqual(["__proto__"]);
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
