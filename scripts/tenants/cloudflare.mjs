// The few Cloudflare API endpoints the dedicated tenants' drift and rollback use: a Worker's settings (bindings,
// compatibility), its deployments, and a new deployment of an earlier version (as `wrangler rollback` does).
// CLOUDFLARE_API_BASE_URL overrides the base (the tests' local fake).
import { CliError } from "./api.mjs";

export const DEFAULT_API_BASE = "https://api.cloudflare.com/client/v4";

export function cloudflareApi({ accountId, token }, env) {
  const base = (env.CLOUDFLARE_API_BASE_URL || DEFAULT_API_BASE).replace(/\/+$/, "");
  const script = (name) => `/accounts/${encodeURIComponent(accountId)}/workers/scripts/${encodeURIComponent(name)}`;
  async function call(method, path, body) {
    let response;
    try {
      response = await fetch(base + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new CliError(`cannot reach the Cloudflare API at ${base} (${error.cause?.code ?? error.name})`);
    }
    const envelope = await response.json().catch(() => ({}));
    if (response.ok && envelope.success !== false) return envelope.result;
    const first = envelope.errors?.[0];
    throw new CliError(`${method} ${path}: ${response.status}${first ? ` ${first.code}: ${first.message}` : ""}`, { status: response.status });
  }
  return {
    settings: (name) => call("GET", `${script(name)}/settings`),
    deployments: async (name) => (await call("GET", `${script(name)}/deployments`)).deployments ?? [],
    deployVersion: (name, versionId, message) =>
      call("POST", `${script(name)}/deployments?force=true`, { strategy: "percentage", versions: [{ version_id: versionId, percentage: 100 }], annotations: { "workers/message": message } }),
  };
}

/** The bindings a generated config declares, as the settings endpoint lists them (name -> the fields compared). */
export function expectedBindings(config) {
  const list = [
    ...Object.entries(config.vars ?? {}).map(([name, text]) => ({ type: "plain_text", name, text: String(text) })),
    ...(config.ai ? [{ type: "ai", name: config.ai.binding }] : []),
    ...(config.services ?? []).map((s) => ({ type: "service", name: s.binding, service: s.service, ...(s.entrypoint ? { entrypoint: s.entrypoint } : {}) })),
    ...(config.durable_objects?.bindings ?? []).map((d) => ({ type: "durable_object_namespace", name: d.name, class_name: d.class_name })),
    ...(config.kv_namespaces ?? []).map((k) => ({ type: "kv_namespace", name: k.binding })),
    ...(config.d1_databases ?? []).map((d) => ({ type: "d1", name: d.binding })),
    ...(config.r2_buckets ?? []).map((b) => ({ type: "r2_bucket", name: b.binding, bucket_name: b.bucket_name })),
    ...(config.vectorize ?? []).map((x) => ({ type: "vectorize", name: x.binding, index_name: x.index_name })),
    ...(config.queues?.producers ?? []).map((q) => ({ type: "queue", name: q.binding, queue_name: q.queue })),
    ...(config.assets?.binding ? [{ type: "assets", name: config.assets.binding }] : []),
    ...(config.analytics_engine_datasets ?? []).map((a) => ({ type: "analytics_engine", name: a.binding, ...(a.dataset ? { dataset: a.dataset } : {}) })),
  ];
  return new Map(list.map((b) => [b.name, b]));
}

const show = (value) => (value === undefined ? "(none)" : JSON.stringify(value));

/** The differences between what a Worker runs (its settings) and its generated config; [] when none. */
export function workerDrift(config, settings) {
  const lines = [];
  if (settings.compatibility_date !== config.compatibility_date) lines.push(`compatibility_date: repo ${show(config.compatibility_date)}, deployed ${show(settings.compatibility_date)}`);
  const flags = (list) => [...(list ?? [])].sort((a, b) => a.localeCompare(b)).join(",");
  if (flags(settings.compatibility_flags) !== flags(config.compatibility_flags)) lines.push(`compatibility_flags: repo ${show(config.compatibility_flags ?? [])}, deployed ${show(settings.compatibility_flags ?? [])}`);
  const expected = expectedBindings(config);
  // Secrets are set by operators (wrangler secret put), never in the repo: they are not compared.
  const deployed = new Map((settings.bindings ?? []).filter((b) => b.type !== "secret_text" && b.type !== "secret_key").map((b) => [b.name, b]));
  for (const [name, want] of expected) {
    const got = deployed.get(name);
    if (!got) {
      lines.push(`binding ${name}: missing (repo ${want.type}${want.service ? ` ${want.service}` : ""})`);
      continue;
    }
    for (const [field, value] of Object.entries(want)) {
      if (got[field] !== value) lines.push(`binding ${name}: ${field} repo ${show(value)}, deployed ${show(got[field])}`);
    }
  }
  for (const [name, got] of deployed) if (!expected.has(name)) lines.push(`binding ${name}: deployed (${got.type}) but not in the repo`);
  return lines;
}

/** The version a Worker ran before its current deployment, from its deployments (latest first). */
export function previousVersion(deployments) {
  const key = (d) => (d.versions ?? []).map((v) => `${v.version_id}:${v.percentage}`).sort((a, b) => a.localeCompare(b)).join(" ");
  const [current, ...older] = deployments;
  if (!current) return undefined;
  const before = older.find((d) => key(d) !== key(current));
  const top = before && [...before.versions].sort((a, b) => b.percentage - a.percentage)[0];
  return top && { current: current.versions.map((v) => v.version_id).join("+"), previous: top.version_id };
}
