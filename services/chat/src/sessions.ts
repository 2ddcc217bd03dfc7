// Addressing sessions: one ChatSession Durable Object per `${tenantId}:${sessionId}`, so tenants never share one.
import * as v from "valibot";
import { AppError, SessionIdSchema } from "@platform/shared";
import type { ChatSession, ContextLimits } from "./session.ts";

/** How much earlier conversation a turn gives the model. */
export const CONTEXT_LIMITS: ContextLimits = { maxMessages: 40, maxChars: 48_000 };

export function sessionStub(sessions: DurableObjectNamespace<ChatSession>, tenantId: string, sessionId: string): DurableObjectStub<ChatSession> {
  if (!v.is(SessionIdSchema, sessionId)) throw new AppError("invalid_request", "sessionId must be 1-128 characters of A-Z, a-z, 0-9, _ and -");
  return sessions.get(sessions.idFromName(`${tenantId}:${sessionId}`));
}
