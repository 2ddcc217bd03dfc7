// Tools: pick a tool, fill the form generated from its JSON Schema, see the result and the tenant's audit log.
import { useState } from "preact/hooks";
import { api } from "../api.ts";
import { SchemaForm, type JsonSchema } from "../schema-form.tsx";
import { Busy, DataTable, Empty, ErrorView, json, useLoad } from "../ui.tsx";

interface Tool { name: string; description: string; parameters: JsonSchema }
interface Execution { tool: string; result: unknown; latencyMs: number; truncated: boolean }
interface AuditEntry { id: string; createdAt: string; tool: string; outcome: string; errorCode: string | null; route: string; latencyMs: number; traceId: string }

export function Tools() {
  const tools = useLoad(() => api<{ tools: Tool[] }>("/v1/tools"));
  const audit = useLoad(() => api<{ entries: AuditEntry[] }>("/v1/audit?limit=20"));
  const [name, setName] = useState("");
  const [result, setResult] = useState<Execution | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const tool = tools.data?.tools.find((t) => t.name === name) ?? tools.data?.tools[0];

  const run = async (args: Record<string, unknown>) => {
    if (!tool) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api<Execution>("/v1/tools/execute", { body: { tool: tool.name, args } }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      audit.reload();
    }
  };

  if (tools.loading && !tools.data) return <Busy label="Loading tools" />;
  if (tools.error !== undefined) return <ErrorView error={tools.error} onRetry={tools.reload} />;
  if (!tool) return <Empty title="No tools for this key">The tenant allows no tools, or this key may use none. Ask your admin to allow some.</Empty>;
  return (
    <div class="tools">
      <section aria-labelledby="run-heading">
        <h2 id="run-heading">Run a tool</h2>
        <label for="tool-name">Tool</label>
        <select id="tool-name" value={tool.name} onChange={(e) => (setName(e.currentTarget.value), setResult(null), setError(null))}>
            {tools.data!.tools.map((t) => (
              <option value={t.name}>{t.name}</option>
            ))}
        </select>
        <p class="hint">{tool.description}</p>
        <SchemaForm key={tool.name} id={`tool-${tool.name}`} schema={tool.parameters} onSubmit={(args) => void run(args)} busy={busy} />
        {error !== null && <ErrorView error={error} />}
        {result && (
          <div class="tool-result" role="status">
            <h3>
              Result <small>({result.latencyMs} ms{result.truncated ? ", cut to the tool's output limit" : ""})</small>
            </h3>
            <pre>{json(result.result)}</pre>
          </div>
        )}
      </section>
      <section aria-labelledby="audit-heading">
        <h2 id="audit-heading">Audit log</h2>
        {audit.error !== undefined && <ErrorView error={audit.error} onRetry={audit.reload} />}
        {audit.data && audit.data.entries.length === 0 && <Empty title="No tool calls yet">Run a tool above; every call is recorded here.</Empty>}
        {audit.data && audit.data.entries.length > 0 && (
          <DataTable
            caption="The latest tool calls of this tenant"
            rows={audit.data.entries.map((e) => ({ time: new Date(e.createdAt).toLocaleString(), tool: e.tool, outcome: e.outcome, error: e.errorCode ?? "", route: e.route, ms: e.latencyMs, trace: e.traceId }))}
          />
        )}
      </section>
    </div>
  );
}
