// The base of every service entrypoint: `health` (the package version and a probe of each binding the service owns)
// and every RPC method run through `rpcCall` (one log line; expected errors returned, not thrown; see rpc.ts).
// Imported as "@platform/shared/service": it needs the Workers runtime, which the Node unit tests do not have.
import { WorkerEntrypoint } from "cloudflare:workers";
import type { RequestContext } from "./context.ts";
import { rpcCall } from "./rpc.ts";
import { checkHealth, type Probe, type ServiceHealth } from "./service-health.ts";
import type { ServiceName } from "./tenant.ts";

export interface ServiceSpec<E> {
  name: ServiceName;
  /** The `version` of the service's package.json (import it: wrangler bundles JSON). */
  version: string;
  /** One probe per binding the service owns (see `probes`); services it only calls are theirs to report. */
  probes: (env: E, ctx: RequestContext) => Record<string, Probe>;
}

/** Handlers the runtime calls itself: not RPC methods, no RequestContext, left as written. */
const HANDLERS = new Set(["constructor", "fetch", "queue", "scheduled", "tail", "trace", "email", "test", "alarm"]);
const wrapped = new WeakSet<object>();

/** `class SearchService extends serviceEntrypoint<SearchEnv>({ name, version, probes }) { ...rpc methods }` */
export function serviceEntrypoint<E>(spec: ServiceSpec<E>) {
  class ServiceEntrypoint extends WorkerEntrypoint<E> {
    constructor(ctx: ExecutionContext, env: E) {
      super(ctx, env);
      // RPC sees prototype methods only, so the wrapping happens there, once per class.
      for (let proto = new.target.prototype; proto !== WorkerEntrypoint.prototype; proto = Object.getPrototypeOf(proto)) wrapMethods(proto, spec.name);
    }

    async health(ctx: RequestContext): Promise<ServiceHealth> {
      const health = await checkHealth(spec.name, spec.version, spec.probes(this.env, ctx));
      for (const [check, result] of Object.entries(health.checks)) {
        if (!result.ok) console.error(JSON.stringify({ traceId: ctx.traceId, service: spec.name, check, error: result.error }));
      }
      return health;
    }
  }
  return ServiceEntrypoint;
}

function wrapMethods(proto: object, service: ServiceName): void {
  if (wrapped.has(proto)) return;
  wrapped.add(proto);
  for (const name of Object.getOwnPropertyNames(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    const method: unknown = descriptor?.value;
    if (HANDLERS.has(name) || typeof method !== "function") continue;
    Object.defineProperty(proto, name, {
      ...descriptor,
      value: function (this: unknown, ctx: RequestContext, ...args: unknown[]) {
        return rpcCall(service, name, ctx, async () => (method as (...a: unknown[]) => unknown).call(this, ctx, ...args));
      },
    });
  }
}
