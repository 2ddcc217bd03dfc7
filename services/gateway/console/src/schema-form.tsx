// A form generated from a JSON Schema object: strings (enums as selects), numbers, booleans; arrays and objects as JSON.
import { useState } from "preact/hooks";

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  items?: JsonSchema;
}

const typeOf = (s: JsonSchema): string => (Array.isArray(s.type) ? (s.type.find((t) => t !== "null") ?? "string") : (s.type ?? "string"));

/** The form's raw values turned into arguments; throws a plain-language message for bad JSON or numbers. */
export function toArgs(schema: JsonSchema, values: Record<string, string | boolean>): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const raw = values[name];
    if (raw === undefined || raw === "") continue;
    const type = typeOf(prop);
    if (type === "boolean") args[name] = raw === true;
    else if (type === "number" || type === "integer") {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new Error(`${name} must be a number`);
      args[name] = n;
    } else if (type === "array" || type === "object") {
      try {
        args[name] = JSON.parse(String(raw));
      } catch {
        throw new Error(`${name} must be JSON (${type === "array" ? 'for example ["a", "b"]' : 'for example {"a": 1}'})`);
      }
    } else args[name] = raw;
  }
  return args;
}

export function SchemaForm({ id, schema, onSubmit, busy }: { id: string; schema: JsonSchema; onSubmit: (args: Record<string, unknown>) => void; busy: boolean }) {
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const set = (name: string, value: string | boolean) => setValues((v) => ({ ...v, [name]: value }));
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {});
  return (
    <form
      class="schema-form"
      onSubmit={(e) => {
        e.preventDefault();
        try {
          setProblem(null);
          onSubmit(toArgs(schema, values));
        } catch (error) {
          setProblem((error as Error).message);
        }
      }}
    >
      {fields.length === 0 && <p class="hint">This tool takes no arguments.</p>}
      {fields.map(([name, prop]) => {
        const fieldId = `${id}-${name}`;
        const type = typeOf(prop);
        const label = (
          <>
            {name}
            {required.has(name) ? <span aria-hidden="true"> *</span> : <small> (optional)</small>}
          </>
        );
        const help = prop.description ? <small id={`${fieldId}-help`}>{prop.description}</small> : null;
        const described = prop.description ? `${fieldId}-help` : undefined;
        if (type === "boolean")
          return (
            <div class="field check">
              <input id={fieldId} type="checkbox" checked={values[name] === true} onChange={(e) => set(name, e.currentTarget.checked)} aria-describedby={described} />
              <label for={fieldId}>{label}</label>
              {help}
            </div>
          );
        return (
          <div class="field">
            <label for={fieldId}>{label}</label>
            {prop.enum ? (
              <select id={fieldId} required={required.has(name)} value={String(values[name] ?? "")} onChange={(e) => set(name, e.currentTarget.value)} aria-describedby={described}>
                <option value="">choose…</option>
                {prop.enum.map((option) => (
                  <option value={String(option)}>{String(option)}</option>
                ))}
              </select>
            ) : type === "array" || type === "object" || (type === "string" && (prop.maxLength ?? 1000) > 200) ? (
              <textarea id={fieldId} rows={3} required={required.has(name)} value={String(values[name] ?? "")} onInput={(e) => set(name, e.currentTarget.value)} aria-describedby={described} placeholder={type === "array" ? '["…"]' : type === "object" ? "{ }" : ""} />
            ) : (
              type === "number" || type === "integer" ? (
                <input id={fieldId} type="number" step={type === "integer" ? 1 : "any"} min={prop.minimum} max={prop.maximum} required={required.has(name)} value={String(values[name] ?? "")} onInput={(e) => set(name, e.currentTarget.value)} aria-describedby={described} />
              ) : (
                <input id={fieldId} type="text" required={required.has(name)} value={String(values[name] ?? "")} onInput={(e) => set(name, e.currentTarget.value)} aria-describedby={described} />
              )
            )}
            {help}
          </div>
        );
      })}
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? "Running…" : "Run tool"}
      </button>
    </form>
  );
}
