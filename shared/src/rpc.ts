// Wraps an RPC method body: logs one line per call and keeps errors in the form the gateway maps.
import type { RequestContext } from "./context.ts";
import { AppError } from "./errors.ts";
import { log } from "./log.ts";

export async function rpcCall<T>(service: string, method: string, ctx: RequestContext, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    const result = await run();
    log({ kind: "rpc", traceId: ctx.traceId, tenantId: ctx.tenantId, service, route: method, status: "ok", latencyMs: Date.now() - started });
    return result;
  } catch (error) {
    const appError = AppError.from(error);
    if (appError.body.code === "internal") console.error(JSON.stringify({ traceId: ctx.traceId, service, method, error: String(error) }));
    log({ kind: "rpc", traceId: ctx.traceId, tenantId: ctx.tenantId, service, route: method, status: "error", errorCode: appError.body.code, latencyMs: Date.now() - started });
    throw appError;
  }
}

export interface ServiceHealth {
  service: string;
  ok: boolean;
  version: string;
}
