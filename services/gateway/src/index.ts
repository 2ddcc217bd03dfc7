// Gateway entry: the only public Worker. Every route resolves the tenant first, then forwards over RPC.
import { Router } from "itty-router";
import { AppError } from "@platform/shared";
import { preflight } from "./cors.ts";
import { finish, onError, withTrace, type GatewayRequest } from "./request.ts";
import { deleteChat, getHistory, postChat } from "./routes/chat.ts";
import { health } from "./routes/health.ts";
import { me } from "./routes/me.ts";
import { needs, withCaller } from "./guards.ts";
import { mcp } from "./routes/mcp/route.ts";
import { deleteDocument, ingest, ingestJob, listDocuments } from "./routes/ingest.ts";
import { chatCompletions, embeddings, listModels } from "./routes/openai.ts";
import { auditLog, executeTool, listTools } from "./routes/tools.ts";
import { retrieve, search } from "./routes/search.ts";
import { withServiceClients } from "./services.ts";
import { job as ttsJob, openAISpeech, speech, voices } from "./routes/tts.ts";
import { usage } from "./routes/usage.ts";
import { adminUsage } from "./routes/admin-usage.ts";
import { auditEntries, bootstrap, createKey, listKeys, listOperatorKeys, postOperatorKey, revokeKey, revokeOperatorKey, rotateKey } from "./routes/admin-keys.ts";
import { disableTenant, enableTenant, getTenant, getVersion, listTenants, listVersions, putTenant, rollback } from "./routes/admin-tenants.ts";

type Args = [GatewayEnv, ExecutionContext];

const router = Router<GatewayRequest, Args>({ before: [withTrace], catch: onError, finally: [finish] });

router
  .options("*", preflight)
  .get("/health", health)
  .get("/v1/admin/usage", adminUsage)
  // The one route authenticated by the BOOTSTRAP_TOKEN secret instead of an API key (first operator key).
  .post("/v1/admin/bootstrap", bootstrap)
  // The first, unversioned paths stay as aliases of the /v1 routes.
  .all("/v1/*", withCaller)
  .all("/chat*", withCaller)
  .all("/search", withCaller)
  .all("/ingest*", withCaller)
  .all("/tools/*", withCaller)
  .all("/tts", withCaller)
  .all("/mcp", withCaller, mcp)
  .post<GatewayRequest, Args>("/v1/chat", needs("chat"), postChat)
  .post<GatewayRequest, Args>("/chat", needs("chat"), postChat)
  .get<GatewayRequest, Args>("/v1/chat/:sessionId/history", needs("chat"), getHistory)
  .get<GatewayRequest, Args>("/chat/:sessionId/history", needs("chat"), getHistory)
  .delete<GatewayRequest, Args>("/v1/chat/:sessionId", needs("chat"), deleteChat)
  .post<GatewayRequest, Args>("/v1/chat/completions", needs("chat"), chatCompletions)
  .get<GatewayRequest, Args>("/v1/models", needs("chat"), listModels)
  .post<GatewayRequest, Args>("/v1/embeddings", needs("chat"), embeddings)
  .post<GatewayRequest, Args>("/v1/ingest", needs("ingest"), ingest)
  .post<GatewayRequest, Args>("/ingest", needs("ingest"), ingest)
  .get<GatewayRequest, Args>("/v1/ingest/:jobId", needs("ingest"), ingestJob)
  .get<GatewayRequest, Args>("/v1/documents", needs("ingest"), listDocuments)
  .delete<GatewayRequest, Args>("/v1/documents/:id", needs("ingest"), deleteDocument)
  .post<GatewayRequest, Args>("/v1/search", needs("search"), search)
  .post<GatewayRequest, Args>("/search", needs("search"), search)
  .post<GatewayRequest, Args>("/v1/retrieve", needs("search"), retrieve)
  .get<GatewayRequest, Args>("/v1/tools", needs("tools"), listTools)
  .post<GatewayRequest, Args>("/v1/tools/execute", needs("tools"), executeTool)
  .post<GatewayRequest, Args>("/tools/execute", needs("tools"), executeTool)
  .get<GatewayRequest, Args>("/v1/audit", needs("tools"), auditLog)
  .post<GatewayRequest, Args>("/v1/tts", needs("tts"), speech)
  .post<GatewayRequest, Args>("/tts", needs("tts"), speech)
  .get<GatewayRequest, Args>("/v1/tts/voices", needs("tts"), voices)
  .get<GatewayRequest, Args>("/v1/tts/jobs/:id", needs("tts"), ttsJob)
  .post<GatewayRequest, Args>("/v1/audio/speech", needs("tts"), openAISpeech)
  .get("/v1/usage", usage)
  .get("/v1/me", me)
  .get("/v1/admin/tenants", listTenants)
  .get("/v1/admin/tenants/:id", getTenant)
  .put("/v1/admin/tenants/:id", putTenant)
  .get("/v1/admin/tenants/:id/versions", listVersions)
  .get("/v1/admin/tenants/:id/versions/:version", getVersion)
  .post("/v1/admin/tenants/:id/rollback", rollback)
  .post("/v1/admin/tenants/:id/disable", disableTenant)
  .post("/v1/admin/tenants/:id/enable", enableTenant)
  .get("/v1/admin/tenants/:id/keys", listKeys)
  .post("/v1/admin/tenants/:id/keys", createKey)
  .delete("/v1/admin/tenants/:id/keys/:keyId", revokeKey)
  .post("/v1/admin/tenants/:id/keys/:keyId/rotate", rotateKey)
  .get("/v1/admin/keys", listKeys)
  .post("/v1/admin/keys", createKey)
  .delete("/v1/admin/keys/:id", revokeKey)
  .post("/v1/admin/keys/:id/rotate", rotateKey)
  .get("/v1/admin/operator-keys", listOperatorKeys)
  .post("/v1/admin/operator-keys", postOperatorKey)
  .delete("/v1/admin/operator-keys/:id", revokeOperatorKey)
  .get("/v1/admin/audit", auditEntries)
  .all("*", () => {
    throw new AppError("not_found", "no such route");
  });

export { TenantUsage } from "./limits/tenant-usage.ts";
export { MetricsStore } from "./metrics/dev-store.ts";
export { Registry } from "./registry/registry.ts";
export { AuthFailures } from "./registry/auth-failures.ts";
export default {
  fetch: (request, env, ctx) => router.fetch(request, withServiceClients(env), ctx),
} satisfies ExportedHandler<GatewayEnv>;
