// Benchmark fixture: streams a chat for the demo tenant straight from the chat service (no auth, limits or budget),
// the baseline for time to first token through the gateway.
import { tenantSettings, type ChatInput, type RequestContext } from "@platform/shared";
import { TENANTS } from "../../../services/gateway/src/tenants.generated.ts";

interface Env {
  CHAT: { chatStream(ctx: RequestContext, input: ChatInput): Promise<ReadableStream<Uint8Array>> };
}

const demo = TENANTS.find((tenant) => tenant.id === "demo");

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (!demo) return new Response("no demo tenant", { status: 500 });
    const { message } = (await request.json()) as { message: string };
    const ctx: RequestContext = { tenantId: demo.id, keyId: "bench", scopes: ["chat"], traceId: crypto.randomUUID(), route: "/bench", tenant: tenantSettings(demo) };
    const stream = await env.CHAT.chatStream(ctx, { messages: [{ role: "user", content: message }] });
    return new Response(stream, { headers: { "content-type": "text/event-stream" } });
  },
};
