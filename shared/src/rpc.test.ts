// Unit tests for the RPC transport: expected errors travel as values and come back as the same AppError.
import { describe, expect, it, vi } from "vitest";
import type { RequestContext } from "./context.ts";
import { AppError } from "./errors.ts";
import { isRpcFailure, rpcCall, rpcClient } from "./rpc.ts";

const ctx = { tenantId: "t1", keyId: "k1", scopes: ["*"], traceId: "trace-1", route: "/x" } as unknown as RequestContext;

describe("rpcCall", () => {
  it("returns an expected AppError as an RpcFailure instead of throwing it", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const result: unknown = await rpcCall("ingest", "job", ctx, async () => {
      throw new AppError("not_found", "ingest job not found");
    });
    expect(isRpcFailure(result)).toBe(true);
    expect(result).toEqual({ $rpcFailure: { code: "not_found", message: "ingest job not found" } });
  });

  it("throws (and logs) an unexpected error as internal", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(rpcCall("ingest", "job", ctx, async () => Promise.reject(new TypeError("boom")))).rejects.toMatchObject({ body: { code: "internal" } });
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("TypeError: boom"));
  });
});

describe("rpcClient", () => {
  const service = {
    answer: async (n: number) => n + 1,
    failure: async () => ({ $rpcFailure: { code: "rate_limited", message: "slow down", retryAfter: 3, details: { limit: 1 } } }),
  };

  it("passes values through", async () => {
    await expect(rpcClient(service).answer(1)).resolves.toBe(2);
  });

  it("throws an RpcFailure again as the AppError it stands for", async () => {
    const error = await rpcClient(service).failure().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).body).toEqual({ code: "rate_limited", message: "slow down", retryAfter: 3, details: { limit: 1 } });
    expect((error as AppError).status).toBe(429);
  });

  it("turns a transport failure into service_unavailable naming the capability, not the Worker", async () => {
    const gone = { search: async () => Promise.reject(new Error('Worker "platform-search" not found')) };
    const error = (await rpcClient(gone, "search").search().catch((e: unknown) => e)) as AppError;
    expect(error.body).toEqual({ code: "service_unavailable", message: "search is unavailable; try again later" });
    expect(error.status).toBe(503);
  });

  it("keeps an internal error thrown by the service as internal", async () => {
    const broken = { run: async () => Promise.reject(new AppError("internal", "internal server error")) };
    const error = (await rpcClient(broken, "search").run().catch((e: unknown) => e)) as AppError;
    expect(error.body.code).toBe("internal");
  });

  it("is not itself a thenable", () => {
    expect((rpcClient(service) as unknown as { then?: unknown }).then).toBeUndefined();
  });
});
