// The internal services the gateway forwards to, over their service bindings, each through rpcClient (expected
// errors come back as values and are thrown here again as AppErrors: see shared/src/rpc.ts).
import { rpcClient, type RequestContext, type ServiceHealth, type ServiceName } from "@platform/shared";

type HealthStub = { health(ctx: RequestContext): Promise<ServiceHealth> };
/** Each binding and the capability an error names when it is unreachable (never the internal Worker's name). */
const SERVICE_BINDINGS = { CHAT: "chat", SEARCH: "search", INGEST: "ingest", TOOLS: "tools", TTS: "text-to-speech" } as const;

/** The env the routes see: the same bindings, every service one wrapped in an rpcClient. */
export function withServiceClients(env: GatewayEnv): GatewayEnv {
  const clients = Object.fromEntries(Object.entries(SERVICE_BINDINGS).map(([name, capability]) => [name, rpcClient(env[name as keyof typeof SERVICE_BINDINGS], capability)]));
  return { ...env, ...clients };
}

export function serviceStub(env: GatewayEnv, name: ServiceName): HealthStub {
  const bindings: Record<ServiceName, HealthStub> = { chat: env.CHAT, search: env.SEARCH, ingest: env.INGEST, tools: env.TOOLS, tts: env.TTS };
  return bindings[name];
}
