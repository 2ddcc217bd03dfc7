// A service's health: its package version and one bounded probe per binding it owns, so a broken binding says so.

export interface CheckResult {
  ok: boolean;
  latencyMs: number;
  /** Why the probe failed, cut short (a driver message such as "no such table: chunks"; never data). */
  error?: string;
}

export interface ServiceHealth {
  service: string;
  ok: boolean;
  version: string;
  checks: Record<string, CheckResult>;
}

/** Resolves when the binding answers as the service needs it; rejects (or throws) otherwise. */
export type Probe = () => Promise<unknown>;

/** A probe gets this long before it counts as failed; the gateway waits a little longer for the whole answer. */
export const PROBE_TIMEOUT_MS = 2000;
const ERROR_CHARS = 200;

function present<T>(binding: T | undefined | null, name: string): T {
  if (binding === undefined || binding === null) throw new Error(`${name} binding is missing`);
  return binding;
}

// The least of each binding a probe uses (structural, so this module needs no Workers types).
type D1Like = { prepare(sql: string): { first(): Promise<unknown> } };
type KvLike = { get(key: string): Promise<unknown> };
type R2Like = { head(key: string): Promise<unknown> };
type IndexLike = { describe(): Promise<unknown> };
type AiLike = { models(params?: { per_page?: number }): Promise<unknown> };

/** Probes for the kinds of binding a service owns. Each takes the binding as the env gives it (perhaps missing). */
export const probes = {
  /** D1 answers and holds the tables the service reads: one statement that fails on any missing table. */
  d1(db: D1Like | undefined, tables: readonly string[]): Probe {
    return async () => {
      const names = tables.filter((t) => /^\w+$/.test(t));
      const sql = names.length > 0 ? `SELECT ${names.map((t) => `(SELECT 1 FROM ${t} LIMIT 1)`).join(", ")}` : "SELECT 1";
      await present(db, "D1").prepare(sql).first();
    };
  },
  /** KV answers a read (of a key that need not exist). */
  kv(kv: KvLike | undefined, key: string): Probe {
    return async () => present(kv, "KV").get(key);
  },
  /** R2 answers a head (of a key that need not exist). */
  r2(bucket: R2Like | undefined, key: string): Probe {
    return async () => present(bucket, "R2").head(key);
  },
  /** The vector index exists: `describe` is a metadata read, no query. */
  vectorize(index: IndexLike | undefined): Probe {
    return async () => present(index, "Vectorize").describe();
  },
  /** Workers AI (or its local twin) answers: `models()` reads the catalogue, no inference and no neurons spent. */
  ai(ai: AiLike | undefined): Probe {
    return async () => present(ai, "AI").models({ per_page: 1 });
  },
  /** A binding that cannot be probed for free (Workers AI, a Durable Object namespace, a service): present with its method. */
  binding(value: unknown, method: string): Probe {
    return async () => {
      const target = present(value as Record<string, unknown> | undefined, method);
      if (typeof target[method] !== "function") throw new Error(`binding has no ${method}()`);
    };
  },
};

/** Runs every probe at once, each bounded by `timeoutMs`; the service is ok when all are. */
export async function checkHealth(service: string, version: string, checks: Record<string, Probe>, timeoutMs = PROBE_TIMEOUT_MS): Promise<ServiceHealth> {
  const entries = await Promise.all(Object.entries(checks).map(async ([name, probe]) => [name, await runProbe(probe, timeoutMs)] as const));
  return { service, ok: entries.every(([, result]) => result.ok), version, checks: Object.fromEntries(entries) };
}

async function runProbe(probe: Probe, timeoutMs: number): Promise<CheckResult> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)));
  try {
    await Promise.race([probe(), deadline]);
    return { ok: true, latencyMs: Date.now() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, latencyMs: Date.now() - started, error: message.slice(0, ERROR_CHARS) };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
