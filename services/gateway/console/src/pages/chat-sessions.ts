// The chat sessions this browser started, per tenant: ids and times only (no message text is stored locally).
interface SessionRef { id: string; at: number }

const storageKey = (tenantId: string) => `console.sessions.${tenantId}`;

export function listSessions(tenantId: string): SessionRef[] {
  try {
    return JSON.parse(localStorage.getItem(storageKey(tenantId)) ?? "[]") as SessionRef[];
  } catch {
    return [];
  }
}

export function rememberSession(tenantId: string, id: string): SessionRef[] {
  const next = [{ id, at: Date.now() }, ...listSessions(tenantId).filter((s) => s.id !== id)].slice(0, 50);
  localStorage.setItem(storageKey(tenantId), JSON.stringify(next));
  return next;
}

export function forgetSession(tenantId: string, id: string): SessionRef[] {
  const next = listSessions(tenantId).filter((s) => s.id !== id);
  localStorage.setItem(storageKey(tenantId), JSON.stringify(next));
  return next;
}
