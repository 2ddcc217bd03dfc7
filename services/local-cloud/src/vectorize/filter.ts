// Vectorize metadata filters: validation (operators, key rules, size) and matching against stored metadata.
// Several keys are an implicit AND; dotted keys address nested fields; `{ key: value }` means `$eq`.
import { vectorizeError } from "./errors.ts";

type Scalar = string | number | boolean | null;
type Operator = "$eq" | "$ne" | "$lt" | "$lte" | "$gt" | "$gte" | "$in" | "$nin";

interface Condition {
  path: string[];
  op: Operator;
  value: Scalar | Scalar[];
}

export type CompiledFilter = Condition[];

const OPERATORS: readonly string[] = ["$eq", "$ne", "$lt", "$lte", "$gt", "$gte", "$in", "$nin"];
export const MAX_FILTER_BYTES = 2048;
export const MAX_FILTER_KEY_CHARS = 512;

export function compileFilter(filter: unknown): CompiledFilter {
  if (typeof filter !== "object" || filter === null || Array.isArray(filter)) throw vectorizeError("QUERY", "filter must be an object");
  const bytes = new TextEncoder().encode(JSON.stringify(filter)).length;
  if (bytes >= MAX_FILTER_BYTES) throw vectorizeError("QUERY", `filter is ${bytes} bytes of JSON; it must be under ${MAX_FILTER_BYTES} bytes`);
  const conditions: Condition[] = [];
  for (const [key, rule] of Object.entries(filter)) {
    if (key === "" || key.includes('"') || key.startsWith("$") || key.length > MAX_FILTER_KEY_CHARS) {
      throw vectorizeError("QUERY", `invalid filter key "${key.slice(0, 40)}": keys cannot be empty, contain '"', start with "$" or exceed ${MAX_FILTER_KEY_CHARS} characters`);
    }
    const path = key.split(".");
    if (isScalar(rule)) {
      conditions.push({ path, op: "$eq", value: rule });
      continue;
    }
    if (typeof rule !== "object" || Array.isArray(rule) || Object.keys(rule).length === 0) {
      throw vectorizeError("QUERY", `filter for "${key}" must be a string, number, boolean, null or an object of operators`);
    }
    for (const [op, value] of Object.entries(rule as Record<string, unknown>)) {
      if (!OPERATORS.includes(op)) throw vectorizeError("QUERY", `unsupported filter operator "${op}" on "${key}"; supported: ${OPERATORS.join(" ")}`);
      if (op === "$in" || op === "$nin") {
        if (!Array.isArray(value) || !value.every(isScalar)) throw vectorizeError("QUERY", `${op} on "${key}" needs an array of strings, numbers or booleans`);
      } else if (!isScalar(value)) {
        throw vectorizeError("QUERY", `${op} on "${key}" needs a string, number, boolean or null`);
      }
      conditions.push({ path, op: op as Operator, value: value as Scalar | Scalar[] });
    }
  }
  return conditions;
}

export function matchesFilter(filter: CompiledFilter, metadata: Record<string, unknown> | null): boolean {
  return filter.every((c) => matches(c, lookup(metadata, c.path)));
}

function matches({ op, value }: Condition, stored: unknown): boolean {
  switch (op) {
    case "$eq":
      return equals(stored, value as Scalar);
    case "$ne":
      return !equals(stored, value as Scalar);
    case "$in":
      return (value as Scalar[]).some((v) => equals(stored, v));
    case "$nin":
      return !(value as Scalar[]).some((v) => equals(stored, v));
    default:
      return compare(op, stored, value as Scalar);
  }
}

function equals(stored: unknown, value: Scalar): boolean {
  if (value === null) return stored === undefined || stored === null;
  if (Array.isArray(stored)) return stored.includes(value);
  return stored === value;
}

function compare(op: Operator, stored: unknown, value: Scalar): boolean {
  const comparable = (typeof stored === "number" && typeof value === "number") || (typeof stored === "string" && typeof value === "string");
  if (!comparable) return false;
  const a = stored as number | string;
  const b = value as number | string;
  if (op === "$lt") return a < b;
  if (op === "$lte") return a <= b;
  if (op === "$gt") return a > b;
  return a >= b;
}

function lookup(metadata: Record<string, unknown> | null, path: string[]): unknown {
  let node: unknown = metadata;
  for (const part of path) {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}
