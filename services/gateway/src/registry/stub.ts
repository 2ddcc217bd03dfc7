// The one Registry Durable Object instance every gateway isolate talks to (src/registry/registry.ts).
export const registry = (env: GatewayEnv) => env.REGISTRY.get(env.REGISTRY.idFromName("registry"));
