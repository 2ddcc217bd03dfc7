// Benchmark fixture: authenticates like the gateway and answers /health?service=chat in-process, with no RPC hop.
import { log, okResponse, type ServiceHealth } from "@platform/shared";
import { DEV_KEYS, TENANTS } from "../../../services/gateway/src/tenants.generated.ts";

const encoder = new TextEncoder();
const KEYS = new Map(DEV_KEYS.flatMap((key) => {
  const tenant = TENANTS.find((t) => t.id === key.tenantId);
  return tenant ? [[key.sha256, { tenant, key }] as const] : [];
}));

async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(value));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// What chat's health RPC method returns, called as a plain function.
const chatHealth = async (): Promise<ServiceHealth> => ({ service: "chat", ok: true, version: "0.1.0" });

export default {
  async fetch(request: Request): Promise<Response> {
    const traceId = crypto.randomUUID();
    const started = Date.now();
    const presented = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get("authorization") ?? "")?.[1];
    const digest = presented ? await sha256Hex(presented) : "";
    const record = KEYS.get(digest);
    const valid = record !== undefined && crypto.subtle.timingSafeEqual(encoder.encode(digest), encoder.encode(record.key.sha256));
    if (!valid) return Response.json({ ok: false, error: { code: "unauthorized", message: "invalid API key" }, traceId }, { status: 401 });

    const probeStarted = Date.now();
    const chat = await chatHealth();
    const services = { chat: { ok: chat.ok, version: chat.version, latencyMs: Date.now() - probeStarted } };
    const response = okResponse({ status: "ok", tenant: { id: record.tenant.id, name: record.tenant.name }, services }, traceId);
    log({ kind: "request", traceId, tenantId: record.tenant.id, service: "single", route: "GET /health", status: 200, latencyMs: Date.now() - started });
    return response;
  },
} satisfies ExportedHandler;
