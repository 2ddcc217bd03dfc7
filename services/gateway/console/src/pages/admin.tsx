// Keys (a tenant's admin key) and Tenants (an operator key): shown once the control plane's admin API answers.
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import type { Me } from "../session.ts";
import { Busy, DataTable, Empty, ErrorView, useLoad } from "../ui.tsx";

const SCOPES = ["chat", "search", "ingest", "tools", "tts", "admin"];

/** The list in an admin answer, whatever it is called (`keys`, `tenants`, `items`) or the array itself. */
function rows(data: unknown): Record<string, unknown>[] {
  if (Array.isArray(data)) return data as Record<string, unknown>[];
  const list = Object.values((data ?? {}) as Record<string, unknown>).find(Array.isArray);
  return (list ?? []) as Record<string, unknown>[];
}

export function Keys({ me }: { me: Me }) {
  const list = useLoad(() => api<unknown>("/v1/admin/keys"));
  const [scopes, setScopes] = useState<string[]>(["chat"]);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const create = async () => {
    setError(null);
    try {
      const answer = await api<Record<string, unknown>>("/v1/admin/keys", { body: { scopes } });
      setCreated(String(answer.key ?? answer.secret ?? ""));
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const revoke = async (id: string) => {
    if (!confirm(`Revoke key ${id}? Clients using it stop working at once.`)) return;
    try {
      await api(`/v1/admin/keys/${encodeURIComponent(id)}`, { method: "DELETE" });
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div class="admin">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <fieldset>
          <legend>New key for {me.tenant.id}</legend>
          {SCOPES.map((s) => (
            <label class="inline">
              <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} /> {s}
            </label>
          ))}
          <button type="submit" disabled={scopes.length === 0}>
            Create key
          </button>
        </fieldset>
      </form>
      {created && (
        <div class="notice" role="status">
          <strong>Copy the new key now: it is shown only once.</strong>
          <p>
            <code>{created}</code>
          </p>
        </div>
      )}
      {error !== null && <ErrorView error={error} />}
      {list.loading && <Busy label="Loading keys" />}
      {list.error !== undefined && <ErrorView error={list.error} onRetry={list.reload} />}
      {list.data !== undefined && rows(list.data).length === 0 && <Empty title="No keys">Create one above.</Empty>}
      {list.data !== undefined && rows(list.data).length > 0 && (
        <DataTable caption="This tenant's keys" rows={rows(list.data)} actions={(row) => (
          <button type="button" class="danger" onClick={() => void revoke(String(row.id))}>
            Revoke
          </button>
        )} />
      )}
    </div>
  );
}

export function Tenants() {
  const list = useLoad(() => api<unknown>("/v1/admin/tenants"));
  if (list.loading && !list.data) return <Busy label="Loading tenants" />;
  if (list.error !== undefined) return <ErrorView error={list.error} onRetry={list.reload} />;
  const all = rows(list.data);
  return all.length === 0 ? <Empty title="No tenants">Deploy a tenant with the control plane first.</Empty> : <DataTable caption="Tenants of this platform" rows={all} />;
}
