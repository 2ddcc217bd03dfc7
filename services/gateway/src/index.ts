// Gateway entry (placeholder while the foundation is built).
export default {
  async fetch(_request: Request, env: GatewayEnv): Promise<Response> {
    const h = await env.CHAT.health({ tenantId: "t", keyId: "k", scopes: [], traceId: "x", route: "/health", tenant: {} as never });
    return Response.json(h);
  },
} satisfies ExportedHandler<GatewayEnv>;
