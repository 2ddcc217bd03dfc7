// Vectorize's documented limits (developers.cloudflare.com/vectorize/platform/limits), enforced as thrown errors that name the limit.
import { vectorizeError, type Operation } from "./errors.ts";
import { compileFilter, type CompiledFilter } from "./filter.ts";

export const MAX_ID_BYTES = 64;
export const MAX_NAMESPACE_BYTES = 64;
export const MAX_METADATA_BYTES = 10 * 1024;
export const MAX_BATCH = 1000;
export const DEFAULT_TOP_K = 5;
export const MAX_TOP_K = 100;
// 20 until 2026-03, then raised to 50 (Vectorize's limits page): applies with returnValues or returnMetadata "all".
export const MAX_TOP_K_WITH_DATA = 50;

/** A vector ready for storage: values as float32, metadata as its JSON text. */
export interface CheckedVector {
  id: string;
  values: Float32Array;
  namespace: string | null;
  metadata: string | null;
}

export interface CheckedQuery {
  topK: number;
  namespace: string | null;
  returnValues: boolean;
  returnMetadata: boolean;
  filter: CompiledFilter | null;
}

const encoder = new TextEncoder();
const byteLength = (text: string) => encoder.encode(text).length;

export function checkVectors(op: "INSERT" | "UPSERT", vectors: unknown, dimensions: number): CheckedVector[] {
  if (!Array.isArray(vectors)) throw vectorizeError(op, "vectors must be an array");
  if (vectors.length > MAX_BATCH) throw vectorizeError(op, `too many vectors: ${vectors.length} exceeds the limit of ${MAX_BATCH} vectors per ${op.toLowerCase()} from a Worker`);
  return vectors.map((vector: unknown, i) => {
    if (typeof vector !== "object" || vector === null) throw vectorizeError(op, `vectors[${i}] must be an object with id and values`);
    const { id, values, namespace, metadata } = vector as Record<string, unknown>;
    checkId(op, id);
    return {
      id,
      values: checkValues(op, `vector "${id}"`, values, dimensions),
      namespace: checkNamespace(op, namespace),
      metadata: checkMetadata(op, id, metadata),
    };
  });
}

export function checkId(op: Operation, id: unknown): asserts id is string {
  if (typeof id !== "string" || id === "") throw vectorizeError(op, "vector id must be a non-empty string");
  const bytes = byteLength(id);
  if (bytes > MAX_ID_BYTES) throw vectorizeError(op, `vector id "${id.slice(0, 80)}" is ${bytes} bytes, over the limit of ${MAX_ID_BYTES} bytes`);
}

export function checkIds(op: Operation, ids: unknown): string[] {
  if (!Array.isArray(ids)) throw vectorizeError(op, "ids must be an array of strings");
  ids.forEach((id) => checkId(op, id));
  return ids as string[];
}

/** `label` names the vector in messages: `vector "id"` or "query vector". */
export function checkValues(op: Operation, label: string, values: unknown, dimensions: number): Float32Array {
  const isNumbers = Array.isArray(values) || values instanceof Float32Array || values instanceof Float64Array;
  if (!isNumbers) throw vectorizeError(op, `${label}: values must be a number[], Float32Array or Float64Array`);
  const list = values as ArrayLike<unknown>;
  if (list.length !== dimensions) {
    throw vectorizeError(op, `${label} has ${list.length} dimensions, but the index expects ${dimensions} dimensions`);
  }
  const out = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) {
    const v = list[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw vectorizeError(op, `${label}: values[${i}] is not a finite number`);
    out[i] = v;
  }
  return out;
}

export function checkNamespace(op: Operation, namespace: unknown): string | null {
  if (namespace === undefined || namespace === null) return null;
  if (typeof namespace !== "string" || namespace === "") throw vectorizeError(op, "namespace must be a non-empty string");
  const bytes = byteLength(namespace);
  if (bytes > MAX_NAMESPACE_BYTES) throw vectorizeError(op, `namespace is ${bytes} bytes, over the limit of ${MAX_NAMESPACE_BYTES} bytes`);
  return namespace;
}

function checkMetadata(op: Operation, id: string, metadata: unknown): string | null {
  if (metadata === undefined || metadata === null) return null;
  if (typeof metadata !== "object" || Array.isArray(metadata)) throw vectorizeError(op, `vector "${id}": metadata must be an object`);
  checkMetadataKeys(op, id, metadata as Record<string, unknown>);
  const json = JSON.stringify(metadata);
  const bytes = byteLength(json);
  if (bytes > MAX_METADATA_BYTES) {
    throw vectorizeError(op, `vector "${id}": metadata is ${bytes} bytes, over the limit of ${MAX_METADATA_BYTES} bytes (10 KiB) per vector`);
  }
  return json;
}

function checkMetadataKeys(op: Operation, id: string, metadata: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(metadata)) {
    if (key === "" || key.includes(".") || key.includes('"') || key.startsWith("$")) {
      throw vectorizeError(op, `vector "${id}": metadata key "${key}" is invalid: keys cannot be empty, contain "." or '"', or start with "$"`);
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value)) checkMetadataKeys(op, id, value as Record<string, unknown>);
  }
}

export function checkQueryOptions(options: unknown): CheckedQuery {
  const o = (typeof options === "object" && options !== null ? options : {}) as VectorizeQueryOptions;
  const topK = o.topK ?? DEFAULT_TOP_K;
  if (typeof topK !== "number" || !Number.isInteger(topK) || topK < 1) throw vectorizeError("QUERY", `topK must be a positive integer (got ${String(topK)})`);
  const level = o.returnMetadata;
  if (level !== undefined && typeof level !== "boolean" && !["none", "indexed", "all"].includes(level)) {
    throw vectorizeError("QUERY", `returnMetadata must be "none", "indexed", "all" or a boolean (got ${String(level)})`);
  }
  const returnValues = o.returnValues === true;
  // "indexed" returns all metadata here too: the twin keeps no metadata indexes, so it cannot tell fields apart.
  const returnMetadata = level === true || level === "all" || level === "indexed";
  const heavy = returnValues || level === true || level === "all";
  if (topK > MAX_TOP_K) throw vectorizeError("QUERY", `topK ${topK} exceeds the limit of ${MAX_TOP_K}`);
  if (heavy && topK > MAX_TOP_K_WITH_DATA) {
    throw vectorizeError("QUERY", `topK ${topK} exceeds the limit of ${MAX_TOP_K_WITH_DATA} when returnValues is true or returnMetadata is "all"`);
  }
  return { topK, namespace: checkNamespace("QUERY", o.namespace), returnValues, returnMetadata, filter: o.filter === undefined ? null : compileFilter(o.filter) };
}
