// The internal services the gateway forwards to, by name, over their service bindings.
import type { ServiceHealth, ServiceName, RequestContext } from "@platform/shared";

type HealthStub = { health(ctx: RequestContext): Promise<ServiceHealth> };

export function serviceStub(env: GatewayEnv, name: ServiceName): HealthStub {
  const bindings: Record<ServiceName, HealthStub> = { chat: env.CHAT, search: env.SEARCH, ingest: env.INGEST, tools: env.TOOLS, tts: env.TTS };
  return bindings[name];
}
