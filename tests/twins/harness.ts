// Boots services/local-cloud alone in Miniflare (in process; its wrangler.jsonc read by wrangler, its entry
// bundled by esbuild as wrangler would) and calls its twins through the dev-only /__twin shim, which forwards over
// real RPC to LocalAI and LocalVectorize. Faster to start and stop than spawning `wrangler dev`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
// @ts-expect-error plain ESM script without types
import { WORKER_BUNDLE } from "../../scripts/mesh.mjs";

const CONFIG = resolve(fileURLToPath(import.meta.url), "../../../services/local-cloud/wrangler.jsonc");

export interface Twin {
  url: string;
  persistTo: string;
  stop(): Promise<void>;
}

export function freshStateDir(): string {
  return mkdtempSync(join(tmpdir(), "twin-test-"));
}

/** Boots local-cloud with its state in `persistTo` (a temporary directory removed on stop when not given). */
export async function startTwin(stateDir?: string): Promise<Twin> {
  const persistTo = stateDir ?? freshStateDir();
  const { workerOptions, main } = unstable_getMiniflareWorkerOptions(CONFIG);
  if (main === undefined) throw new Error(`${CONFIG} names no main module`);
  const bundle = await build({ ...WORKER_BUNDLE, entryPoints: [main] });
  const modules = [{ type: "ESModule" as const, path: "index.js", contents: bundle.outputFiles?.[0]?.text ?? "" }];
  const mf = new Miniflare(convertV4MiniflareOptions({ workers: [{ ...workerOptions, modules }], resourcePersistencePath: persistTo, host: "127.0.0.1", port: 0 }));
  const url = (await mf.ready).origin;
  const stop = async () => {
    await mf.dispose();
    if (stateDir === undefined) rmSync(persistTo, { recursive: true, force: true });
  };
  return { url, persistTo, stop };
}

export class TwinError extends Error {}

async function post(url: string, body: unknown): Promise<Response> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (response.status === 400) throw new TwinError(((await response.json()) as { error: string }).error);
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return response;
}

/** `env.AI.run(model, inputs, options)` over RPC; JSON results parsed, streams returned as the raw Response. */
export async function aiRun<T = Record<string, unknown>>(twin: Twin, model: string, inputs: unknown, options?: unknown): Promise<T> {
  const response = await post(`${twin.url}/__twin/ai/run`, { model, inputs, options });
  return (await response.json()) as T;
}

export async function aiStream(twin: Twin, model: string, inputs: unknown): Promise<Response> {
  const response = await post(`${twin.url}/__twin/ai/run`, { model, inputs });
  if (response.headers.get("x-twin-result") !== "stream") throw new Error(`expected a stream, got ${response.headers.get("x-twin-result")}`);
  return response;
}

export interface IndexProps {
  index: string;
  dimensions?: number;
  metric?: "cosine" | "euclidean" | "dot-product";
}

/** The Vectorize binding as a service sees it, with the given props. */
export function vectorIndex(twin: Twin, props: IndexProps) {
  const call = async <T>(method: string, ...args: unknown[]): Promise<T> => (await (await post(`${twin.url}/__twin/vectorize/${method}`, { props, args })).json()) as T;
  return {
    insert: (vectors: VectorInput[]) => call<{ mutationId: string }>("insert", vectors),
    upsert: (vectors: VectorInput[]) => call<{ mutationId: string }>("upsert", vectors),
    query: (vector: number[], options?: Record<string, unknown>) => call<Matches>("query", vector, options),
    queryById: (id: string, options?: Record<string, unknown>) => call<Matches>("queryById", id, options),
    getByIds: (ids: string[]) => call<VectorInput[]>("getByIds", ids),
    deleteByIds: (ids: string[]) => call<{ mutationId: string }>("deleteByIds", ids),
    describe: () => call<{ vectorCount: number; dimensions: number; processedUpToDatetime: number; processedUpToMutation: number }>("describe"),
  };
}

export interface VectorInput {
  id: string;
  values: number[];
  namespace?: string;
  metadata?: Record<string, unknown>;
}

export interface Matches {
  count: number;
  matches: { id: string; score: number; values?: number[]; metadata?: Record<string, unknown>; namespace?: string }[];
}

let counter = 0;
/** A name no other test (or earlier run against the same state) uses. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}
