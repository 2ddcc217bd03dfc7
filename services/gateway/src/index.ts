// Gateway entry: the only public Worker. Every route resolves the tenant first, then forwards over RPC.
import { Router } from "itty-router";
import { AppError } from "@platform/shared";
import { preflight } from "./cors.ts";
import { finish, onError, withTrace, type GatewayRequest } from "./request.ts";
import { health } from "./routes/health.ts";
import { needs, withCaller } from "./routes/guards.ts";
import { pending } from "./routes/pending.ts";
import { usage } from "./routes/usage.ts";

type Args = [GatewayEnv, ExecutionContext];

const router = Router<GatewayRequest, Args>({ before: [withTrace], catch: onError, finally: [finish] });

router
  .options("*", preflight)
  .get("/health", health)
  // The seeds' unversioned paths stay as aliases of the /v1 routes.
  .all("/v1/*", withCaller)
  .all("/chat*", withCaller)
  .all("/search", withCaller)
  .all("/ingest*", withCaller)
  .all("/tools/*", withCaller)
  .all("/tts", withCaller)
  .post("/v1/chat", needs("chat"), pending)
  .post("/chat", needs("chat"), pending)
  .get("/v1/chat/:sessionId/history", needs("chat"), pending)
  .get("/chat/:sessionId/history", needs("chat"), pending)
  .delete("/v1/chat/:sessionId", needs("chat"), pending)
  .post("/v1/chat/completions", needs("chat"), pending)
  .get("/v1/models", needs("chat"), pending)
  .post("/v1/embeddings", needs("chat"), pending)
  .post("/v1/ingest", needs("ingest"), pending)
  .post("/ingest", needs("ingest"), pending)
  .get("/v1/ingest/:jobId", needs("ingest"), pending)
  .get("/v1/documents", needs("ingest"), pending)
  .delete("/v1/documents/:id", needs("ingest"), pending)
  .post("/v1/search", needs("search"), pending)
  .post("/search", needs("search"), pending)
  .post("/v1/retrieve", needs("search"), pending)
  .get("/v1/tools", needs("tools"), pending)
  .post("/v1/tools/execute", needs("tools"), pending)
  .post("/tools/execute", needs("tools"), pending)
  .get("/v1/audit", needs("tools"), pending)
  .post("/v1/tts", needs("tts"), pending)
  .post("/tts", needs("tts"), pending)
  .post("/v1/audio/speech", needs("tts"), pending)
  .get("/v1/usage", usage)
  .all("*", () => {
    throw new AppError("not_found", "no such route");
  });

export { RateLimiter } from "./limits/rate-limiter.ts";
export { TenantUsage } from "./limits/tenant-usage.ts";
export default { fetch: router.fetch } satisfies ExportedHandler<GatewayEnv>;
