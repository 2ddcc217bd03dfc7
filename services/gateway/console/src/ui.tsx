// Shared pieces: plain-language errors with the trace id, the 401/403/429 pages, empty states, a data loader hook.
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError } from "./api.ts";

export function explain(error: unknown): { title: string; text: string; traceId: string | null; retryAt: Date | null } {
  if (!(error instanceof ApiError)) return { title: "Something went wrong", text: String((error as Error)?.message ?? error), traceId: null, retryAt: null };
  const retryAt = error.retryAfter ? new Date(Date.now() + error.retryAfter * 1000) : null;
  // The gateway's messages start in lower case; here they open a sentence.
  const said = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  const base = { traceId: error.traceId, retryAt };
  switch (error.status) {
    case 0:
      return { ...base, title: "No connection", text: error.message };
    case 401:
      return { ...base, title: "Your API key was not accepted", text: `The gateway said: ${error.message}. Check the key (it may be mistyped, expired or revoked) and sign in again.` };
    case 403:
      return { ...base, title: "This key may not do that", text: `${said}. Ask your tenant's admin for a key with the right scope.` };
    case 429:
      return {
        ...base,
        title: error.code === "budget_exceeded" ? "The token budget is used up" : "Too many requests",
        text: `${said}.${error.retryAfter ? ` You can try again in ${waitText(error.retryAfter)} (at ${retryAt!.toLocaleTimeString()}).` : " Wait a moment and try again."}`,
      };
    case 413:
      return { ...base, title: "That is too large", text: `${said}. Send less at once.` };
    case 400:
      return { ...base, title: "The request was not valid", text: said };
    case 501:
      return { ...base, title: "Not enabled", text: said };
    default:
      return { ...base, title: error.status >= 500 ? "The platform had a problem" : "The request failed", text: `${said}. If it keeps happening, report the trace id below.` };
  }
}

function waitText(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.round(seconds / 3600)} hours`;
}

export function ErrorView({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, text, traceId } = explain(error);
  const status = error instanceof ApiError ? error.status : 0;
  return (
    <div class={`notice error status-${status}`} role="alert">
      <strong>{title}</strong>
      <p>{text}</p>
      {traceId && (
        <p class="trace">
          Trace id: <code>{traceId}</code>
        </p>
      )}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <strong>{title}</strong>
      {children && <p>{children}</p>}
    </div>
  );
}

export function Busy({ label }: { label: string }) {
  return (
    <p class="busy" role="status">
      {label}…
    </p>
  );
}

/** Loads data once (and again on reload()), keeping the error to show. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const reload = useCallback(() => {
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => setState({ data, loading: false }),
      (error: unknown) => setState({ error, loading: false }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(reload, [reload]);
  return { ...state, reload };
}

export const json = (value: unknown): string => JSON.stringify(value, null, 2);

/** A table of an array of records' scalar fields (the admin pages show whatever the API answers). */
export function DataTable({ rows, caption, actions }: { rows: Record<string, unknown>[]; caption: string; actions?: (row: Record<string, unknown>) => ComponentChildren }) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row).filter((k) => row[k] === null || typeof row[k] !== "object" || Array.isArray(row[k]))))];
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col">{c}</th>
            ))}
            {actions && <th scope="col">actions</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              {columns.map((c) => (
                <td>{Array.isArray(row[c]) ? (row[c] as unknown[]).join(", ") : String(row[c] ?? "")}</td>
              ))}
              {actions && <td>{actions(row)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
