// The internal services the gateway forwards to, over their service bindings, each through rpcClient (expected
// errors come back as values and are thrown here again as AppErrors: see shared/src/rpc.ts).
import { rpcClient, type RequestContext, type ServiceHealth, type ServiceName } from "@platform/shared";

type HealthStub = { health(ctx: RequestContext): Promise<ServiceHealth> };
const SERVICE_BINDINGS = ["CHAT", "SEARCH", "INGEST", "TOOLS", "TTS"] as const;

/** The env the routes see: the same bindings, every service one wrapped in an rpcClient. */
export function withServiceClients(env: GatewayEnv): GatewayEnv {
  const clients = Object.fromEntries(SERVICE_BINDINGS.map((name) => [name, rpcClient(env[name])]));
  return { ...env, ...clients };
}

export function serviceStub(env: GatewayEnv, name: ServiceName): HealthStub {
  const bindings: Record<ServiceName, HealthStub> = { chat: env.CHAT, search: env.SEARCH, ingest: env.INGEST, tools: env.TOOLS, tts: env.TTS };
  return bindings[name];
}
