// CORS per tenant: preflights are answered for origins some tenant allows; real responses only for the caller's tenant.
import type { TenantConfig } from "@platform/shared";
import { ALL_CORS_ORIGINS } from "./auth.ts";

const ALLOWED_HEADERS = "authorization, x-api-key, x-tenant-id, content-type, x-trace-id";
const EXPOSED_HEADERS = "x-trace-id, server-timing, x-cache, retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset, x-tts-characters, x-tts-job, x-tts-model, x-tts-provider, x-tts-voice";

export function preflight(request: Request): Response {
  const origin = request.headers.get("origin");
  const headers = new Headers({ vary: "Origin" });
  if (origin && ALL_CORS_ORIGINS.has(origin)) {
    headers.set("access-control-allow-origin", origin);
    headers.set("access-control-allow-methods", "GET, POST, DELETE, OPTIONS");
    headers.set("access-control-allow-headers", ALLOWED_HEADERS);
    headers.set("access-control-max-age", "600");
  }
  return new Response(null, { status: 204, headers });
}

export function withCors(response: Response, request: Request, tenant: TenantConfig | undefined): Response {
  const origin = request.headers.get("origin");
  if (!origin || !tenant?.cors.origins.includes(origin)) return response;
  response.headers.set("access-control-allow-origin", origin);
  response.headers.set("access-control-expose-headers", EXPOSED_HEADERS);
  response.headers.append("vary", "Origin");
  return response;
}
