// How long a token reservation holds budget when its request never settles (the Worker died mid-request): the longest
// request the platform allows for the tenant, so a live request's reservation never expires under it, and a dead one's
// is released at the latest that long after it was made.
import { DEFAULT_TIMEOUT_MS, type TenantSettings } from "@platform/shared";

// Models tried per AI call: the chosen one, then the tenant's fallback (shared/src/ai/call.ts), each under the timeout.
const MODELS_PER_CALL = 2;
// services/chat/src/tool-rounds.ts: MAX_CALLS_PER_ROUND tool calls a round, run one after another.
const TOOL_CALLS_PER_ROUND = 5;
// The longest tool timeout (ingest_document, services/tools/src/tools/ingest-document.ts).
const MAX_TOOL_TIMEOUT_MS = 60_000;
// Settling itself, the relay's last bytes and clock skew between isolates.
const MARGIN_MS = 60_000;

/**
 * The longest turn is a chat with tools: `tools.maxRounds` rounds of (one model call + its tool calls), then the
 * answer's model call; every model call bounded by the AI timeout per model tried. With the defaults (3 rounds, 30 s
 * timeout) that is 3 x (60 s + 300 s) + 60 s + 60 s margin = 20 min. Search, retrieve, embeddings and ingest make
 * fewer calls than that. In development only, RESERVATION_TTL_MS overrides it (the crash test waits it out).
 */
export function reservationTtlMs(tenant: Pick<TenantSettings, "tools">, env: { ENVIRONMENT?: string }): number {
  const override = Number((env as { RESERVATION_TTL_MS?: unknown }).RESERVATION_TTL_MS);
  if (env.ENVIRONMENT === "development" && Number.isFinite(override) && override > 0) return override;
  const modelCall = MODELS_PER_CALL * DEFAULT_TIMEOUT_MS;
  const round = modelCall + TOOL_CALLS_PER_ROUND * MAX_TOOL_TIMEOUT_MS;
  return tenant.tools.maxRounds * round + modelCall + MARGIN_MS;
}
