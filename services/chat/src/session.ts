// ChatSession Durable Object: one per tenantId:sessionId, holding a session's messages in SQLite.
// Each method runs its SQL synchronously, so concurrent appends to one session are serialised and none is lost.
import { DurableObject } from "cloudflare:workers";
import { notFound, type ChatMessage, type ChatRole, type HistoryMessage, type HistoryPage } from "@platform/shared";

export interface Retention {
  sessionDays: number;
  maxMessages: number;
}

export interface NewMessage {
  id: string;
  role: ChatRole;
  content: string;
  model?: string;
  incomplete?: boolean;
}

export interface ContextLimits {
  maxMessages: number;
  maxChars: number;
}

const DAY_MS = 86_400_000;
/** What the model sees for an assistant turn that was interrupted before it said anything. */
export const INTERRUPTED = "(no answer: this reply was interrupted)";

type MessageRow = { seq: number; id: string; role: string; content: string; created_at: number; incomplete: number };

export class ChatSession extends DurableObject<ChatEnv> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: ChatEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.migrate();
  }

  /** The most recent messages within the limits, oldest first, for the model's context; [] for a new session. */
  context(tenantId: string, limits: ContextLimits): ChatMessage[] {
    if (this.owner() === undefined) return [];
    this.assertOwner(tenantId);
    const rows = this.sql
      .exec<Pick<MessageRow, "role" | "content" | "incomplete">>("SELECT role, content, incomplete FROM messages WHERE created_at >= ? ORDER BY seq DESC LIMIT ?", this.cutoff(), limits.maxMessages)
      .toArray();
    const picked: ChatMessage[] = [];
    let chars = 0;
    for (const row of rows) {
      chars += row.content.length;
      if (chars > limits.maxChars && picked.length > 0) break;
      // An answer cut off before its first words still answers its question, so the history keeps alternating.
      const content = row.incomplete && row.content === "" ? INTERRUPTED : row.content;
      picked.push({ role: row.role as ChatRole, content });
    }
    return picked.reverse();
  }

  /**
   * Appends messages (claiming the session for tenantId if new), then applies retention by count and schedules it by
   * age. A message whose id is already stored is replaced in place (a streamed answer's checkpoints and its end).
   */
  async append(tenantId: string, messages: NewMessage[], retention: Retention): Promise<void> {
    if (this.owner() === undefined) this.setMeta("tenantId", tenantId);
    this.assertOwner(tenantId);
    const now = Date.now();
    this.setMeta("sessionDays", String(retention.sessionDays));
    this.setMeta("updatedAt", String(now));
    for (const m of messages) {
      this.sql.exec(
        `INSERT INTO messages (id, role, content, created_at, incomplete, model) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET content = excluded.content, incomplete = excluded.incomplete, model = excluded.model`,
        m.id,
        m.role,
        m.content,
        now,
        m.incomplete ? 1 : 0,
        m.model ?? null,
      );
    }
    this.sql.exec("DELETE FROM messages WHERE seq IN (SELECT seq FROM messages ORDER BY seq DESC LIMIT -1 OFFSET ?)", retention.maxMessages);
    await this.scheduleExpiry();
  }

  /** A page of the history, oldest first; `cursor` is the previous page's nextCursor. */
  page(tenantId: string, cursor: number, limit: number): HistoryPage {
    this.assertOwner(tenantId);
    const rows = this.sql
      .exec<MessageRow>("SELECT seq, id, role, content, created_at, incomplete FROM messages WHERE seq > ? AND created_at >= ? ORDER BY seq LIMIT ?", cursor, this.cutoff(), limit + 1)
      .toArray();
    const more = rows.length > limit;
    const messages = rows.slice(0, limit).map(toHistory);
    const last = rows[limit - 1];
    return { messages, nextCursor: more && last ? String(last.seq) : null };
  }

  /** Deletes the messages; the session stays known (an empty history) until its retention ends. */
  async clear(tenantId: string): Promise<void> {
    this.assertOwner(tenantId);
    this.sql.exec("DELETE FROM messages");
    this.setMeta("updatedAt", String(Date.now()));
    await this.scheduleExpiry();
  }

  override async alarm(): Promise<void> {
    this.sql.exec("DELETE FROM messages WHERE created_at < ?", this.cutoff());
    const updatedAt = Number(this.meta("updatedAt") ?? 0);
    const empty = this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM messages").one().n === 0;
    if (empty && updatedAt < this.cutoff()) {
      await this.ctx.storage.deleteAll();
      this.migrate();
      return;
    }
    await this.scheduleExpiry();
  }

  private async scheduleExpiry(): Promise<void> {
    const oldest = this.sql.exec<{ t: number | null }>("SELECT MIN(created_at) AS t FROM messages").one().t;
    const from = oldest ?? Number(this.meta("updatedAt") ?? Date.now());
    await this.ctx.storage.setAlarm(from + this.retentionDays() * DAY_MS);
  }

  private cutoff(): number {
    return Date.now() - this.retentionDays() * DAY_MS;
  }

  private retentionDays(): number {
    return Number(this.meta("sessionDays") ?? 30);
  }

  private owner(): string | undefined {
    return this.meta("tenantId");
  }

  // Another tenant's session answers exactly like one that does not exist.
  private assertOwner(tenantId: string): void {
    if (this.owner() !== tenantId) throw notFound("session");
  }

  private meta(key: string): string | undefined {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value;
  }

  private setMeta(key: string, value: string): void {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
  }

  private migrate(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL,
        content TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        incomplete INTEGER NOT NULL DEFAULT 0,
        model TEXT
      );
    `);
  }
}

function toHistory(row: MessageRow): HistoryMessage {
  const message: HistoryMessage = { id: row.id, role: row.role as ChatRole, content: row.content, createdAt: new Date(row.created_at).toISOString() };
  if (row.incomplete) message.incomplete = true;
  return message;
}
