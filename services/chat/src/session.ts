// ChatSession Durable Object: one per tenantId:sessionId, holding a session's messages in SQLite.
import { DurableObject } from "cloudflare:workers";

export class ChatSession extends DurableObject<ChatEnv> {}
