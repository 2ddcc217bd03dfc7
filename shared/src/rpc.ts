// The RPC transport of the mesh: one log line per call, and expected errors (AppErrors other than `internal`)
// returned as a value instead of thrown, because workerd logs every error thrown out of an RPC method as
// "Uncaught". `rpcClient` wraps a caller's binding so such a value is thrown again as the AppError it was; the
// declared return types of service methods describe what callers see through `rpcClient`. A call that fails without
// an AppError never reached the service (not bound, not running, connection lost): it becomes service_unavailable
// naming the capability, never the internal Worker.
import type { RequestContext } from "./context.ts";
import { AppError, type ErrorBody } from "./errors.ts";
import { log } from "./log.ts";

/** What an RPC method answers in place of throwing an expected error. */
export interface RpcFailure {
  readonly $rpcFailure: ErrorBody;
}

export function isRpcFailure(value: unknown): value is RpcFailure {
  return typeof value === "object" && value !== null && "$rpcFailure" in value;
}

/** Runs an RPC method body: logs one line, returns expected errors as an RpcFailure and throws (and logs) the rest. */
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
    if (appError.body.code === "internal") throw appError;
    // The caller's rpcClient turns this back into the AppError; only it ever sees this shape.
    return { $rpcFailure: appError.body } satisfies RpcFailure as unknown as T;
  }
}

/** The value of an RPC call, or the AppError its RpcFailure stands for thrown. */
export async function unwrapRpc<T>(pending: Promise<T>, capability?: string): Promise<T> {
  let value: T;
  try {
    value = await pending;
  } catch (error) {
    throw capability === undefined ? error : unreachable(error, capability);
  }
  if (isRpcFailure(value)) {
    const { code, message, ...extra } = value.$rpcFailure;
    throw new AppError(code, message, extra);
  }
  return value;
}

/** An error thrown by the transport (no AppError inside) as service_unavailable; AppErrors pass through. */
export function unreachable(error: unknown, capability: string): unknown {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes("AppError:")) return error;
  console.error(JSON.stringify({ event: "service_unreachable", capability, error: message.slice(0, 200) }));
  return new AppError("service_unavailable", `${capability} is unavailable; try again later`);
}

const PASS_THROUGH = new Set<PropertyKey>(["fetch", "connect", "then"]);

/**
 * A service binding whose RPC methods throw expected errors as AppErrors again and, given the `capability` it
 * serves ("search"), a transport failure as service_unavailable (see the header).
 */
export function rpcClient<S extends object>(binding: S, capability?: string): S {
  return new Proxy(binding, {
    get(target, prop) {
      const member: unknown = Reflect.get(target, prop);
      if (typeof prop === "symbol" || PASS_THROUGH.has(prop) || typeof member !== "function") return member;
      // Reflect.apply: on an RPC stub even `.apply` would be a remote method.
      return (...args: unknown[]) => unwrapRpc(Promise.resolve().then(() => Reflect.apply(member, target, args) as unknown), capability);
    },
  });
}
