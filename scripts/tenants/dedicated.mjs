// A dedicated tenant's own mesh: per-tenant wrangler configs generated from each service's env.<env> (Worker and
// resource names carry the tenant id, the gateway pinned to the tenant by TENANT_ID), the Cloudflare account taken
// from the environment per tenant, the provisioning steps, and the bundle (dry run) or deploy of each Worker.
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileTenants, DEPLOYABLE, measure, readServiceConfig } from "../deploy.mjs";
import { buildConsole } from "../../services/gateway/console/build.mjs";
import { ROOT } from "../mesh.mjs";
import { METADATA_INDEXES } from "../provision.mjs";
import { CliError } from "./api.mjs";

// What a generated config keeps of the resolved env.<env> config; everything else is wrangler's defaults. Routes are
// left out on purpose: the shared platform's domains are not the tenant's (a dedicated gateway answers on workers.dev
// or on routes its account adds). Analytics Engine datasets keep their names: they live in the tenant's account.
const KEYS = ["name", "main", "compatibility_date", "compatibility_flags", "workers_dev", "preview_urls", "vars", "define", "ai", "services", "durable_objects", "migrations", "kv_namespaces", "d1_databases", "r2_buckets", "vectorize", "queues", "analytics_engine_datasets", "tail_consumers", "observability", "placement", "limits", "triggers", "upload_source_maps", "assets"];

const suffix = (id) => id.toUpperCase().replaceAll("-", "_");

/** The environment variable names a dedicated tenant's account, token, gateway URL and operator key are read from. */
export function accountEnvNames(config) {
  const s = suffix(config.id);
  const a = config.account ?? {};
  return {
    idEnv: a.idEnv ?? `CLOUDFLARE_ACCOUNT_ID_${s}`,
    tokenEnv: a.tokenEnv ?? `CLOUDFLARE_API_TOKEN_${s}`,
    urlEnv: a.urlEnv ?? `PLATFORM_URL_${s}`,
    adminKeyEnv: a.adminKeyEnv ?? `PLATFORM_ADMIN_KEY_${s}`,
  };
}

/** The account id and token from the environment, refused with the names to set when either is missing. */
export function accountFromEnv(config, env) {
  const names = accountEnvNames(config);
  const missing = [names.idEnv, names.tokenEnv].filter((name) => !env[name]);
  if (missing.length) throw new CliError(`set ${missing.join(" and ")} (the Cloudflare account of dedicated tenant "${config.id}")`);
  return { accountId: env[names.idEnv], token: env[names.tokenEnv] };
}

/** Platform resource and Worker names moved into the tenant's namespace: platform-chat-staging -> platform-<id>-chat-staging. */
export const tenantName = (id, name) => name.replace(/^platform-/, `platform-${id}-`);

/** Services before the services that bind them (the gateway last). */
function bindingOrder(configs) {
  const byWorker = new Map(configs.map((c) => [c.config.name, c]));
  const done = new Set();
  const order = [];
  const visit = (c) => {
    if (done.has(c.service)) return;
    done.add(c.service);
    for (const s of c.config.services ?? []) if (byWorker.has(s.service)) visit(byWorker.get(s.service));
    order.push(c);
  };
  configs.forEach(visit);
  return order;
}

/** One generated wrangler config per deployable service, in deploy order, with where it is written. `accountId`
 * (the tenant's account) fills the CLOUDFLARE_ACCOUNT_ID placeholder the services declare (scripts/deploy-service.mjs). */
export function meshPlan(id, env, accountId) {
  const rename = (name) => tenantName(id, name);
  const configs = DEPLOYABLE.map((service) => {
    const resolved = readServiceConfig(service, env);
    const config = Object.fromEntries(KEYS.filter((k) => resolved[k] !== undefined).map((k) => [k, structuredClone(resolved[k])]));
    config.name = rename(resolved.name);
    config.services = (config.services ?? []).map((s) => ({ ...s, service: rename(s.service) }));
    config.d1_databases = (config.d1_databases ?? []).map((db) => ({ ...db, database_name: rename(db.database_name), ...(db.migrations_dir ? { migrations_dir: join(ROOT, "services", service, db.migrations_dir) } : {}) }));
    config.r2_buckets = (config.r2_buckets ?? []).map((b) => ({ ...b, bucket_name: rename(b.bucket_name) }));
    config.vectorize = (config.vectorize ?? []).map((x) => ({ ...x, index_name: rename(x.index_name) }));
    if (config.queues) {
      config.queues = {
        producers: (config.queues.producers ?? []).map((p) => ({ ...p, queue: rename(p.queue) })),
        consumers: (config.queues.consumers ?? []).map((c) => ({ ...c, queue: rename(c.queue), ...(c.dead_letter_queue ? { dead_letter_queue: rename(c.dead_letter_queue) } : {}) })),
      };
    }
    if (config.assets?.directory) config.assets.directory = join(ROOT, "services", service, config.assets.directory);
    // Single-tenant mode: the gateway serves this tenant and no other (services/gateway/src/auth.ts).
    if (service === "gateway") config.vars = { ...config.vars, TENANT_ID: id };
    if (accountId && config.vars?.CLOUDFLARE_ACCOUNT_ID === "") config.vars = { ...config.vars, CLOUDFLARE_ACCOUNT_ID: accountId };
    const dir = join(ROOT, "dist", "dedicated", id, env, service);
    return { service, config, dir, configFile: join(dir, "wrangler.json"), outdir: join(dir, "bundle") };
  });
  return bindingOrder(configs);
}

/** What a first deploy creates besides the Workers (wrangler creates KV namespaces by itself, named after the Worker). */
export function resources(plan) {
  const list = [];
  for (const { config } of plan) {
    for (const db of config.d1_databases) list.push({ kind: "d1", name: db.database_name });
    for (const b of config.r2_buckets) list.push({ kind: "r2", name: b.bucket_name });
    for (const x of config.vectorize) list.push({ kind: "vectorize", name: x.index_name });
    for (const q of [...(config.queues?.producers ?? []).map((p) => p.queue), ...(config.queues?.consumers ?? []).flatMap((c) => [c.queue, c.dead_letter_queue])]) if (q) list.push({ kind: "queue", name: q });
    for (const kv of config.kv_namespaces ?? []) list.push({ kind: "kv", name: `${config.name} ${kv.binding} (created by wrangler deploy)` });
  }
  return [...new Map(list.map((r) => [`${r.kind} ${r.name}`, r])).values()];
}

/** The wrangler command lines that create the resources wrangler deploy does not (idempotent: "already exists" is fine). */
export function provisionSteps(plan) {
  const steps = [];
  const seen = new Set();
  const once = (args) => !seen.has(args.join(" ")) && seen.add(args.join(" ")) && steps.push(args);
  for (const { config } of plan) for (const x of config.vectorize) {
    once(["vectorize", "create", x.index_name, "--dimensions=768", "--metric=cosine"]);
    for (const { property, type } of METADATA_INDEXES) once(["vectorize", "create-metadata-index", x.index_name, `--propertyName=${property}`, `--type=${type}`]);
  }
  for (const r of resources(plan).filter((r) => r.kind === "queue")) once(["queues", "create", r.name]);
  for (const r of resources(plan).filter((r) => r.kind === "r2")) once(["r2", "bucket", "create", r.name]);
  for (const { config, configFile } of plan) for (const db of config.d1_databases.filter((d) => d.migrations_dir)) {
    once(["d1", "create", db.database_name]);
    once(["d1", "migrations", "apply", db.binding, "--remote", "-c", configFile]);
  }
  return steps;
}

/** The generated configs on disk, the gateway's dev fixtures module it must resolve (staging/production drop it), and the console. */
export function writeConfigs(plan) {
  compileTenants();
  // The gateway ships the console as its static assets (services/gateway/console/dist), built when stale.
  if (plan.some((p) => p.config.assets)) buildConsole();
  for (const { dir, configFile, config } of plan) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  }
}

/** Runs wrangler with the tenant's account (never the operator's default login); resolves to its output. */
export function wrangler(args, { account, allowFailure } = {}) {
  const env = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", ...(account ? { CLOUDFLARE_ACCOUNT_ID: account.accountId, CLOUDFLARE_API_TOKEN: account.token } : {}) };
  const child = spawn(process.execPath, [join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js"), ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((resolve, reject) =>
    child.on("exit", (code) => (code === 0 || allowFailure?.test(output) ? resolve(output) : reject(new CliError(`wrangler ${args.slice(0, 3).join(" ")} failed (exit ${code}):\n${output.trim().split("\n").slice(-8).join("\n")}`)))),
  );
}

/** Bundles every Worker of the mesh offline (wrangler deploy --dry-run) into its dir; returns the sizes. */
export async function bundleMesh(plan) {
  writeConfigs(plan);
  await Promise.all(plan.map(({ configFile, outdir }) => wrangler(["deploy", "--dry-run", "--outdir", outdir, "-c", configFile])));
  return plan.map(({ service, config, outdir }) => ({ service, worker: config.name, ...measure(outdir) }));
}

/** Provisions and deploys the mesh into the tenant's account: resources first, services before the gateway. */
export async function deployMesh(plan, account, log) {
  writeConfigs(plan);
  for (const args of provisionSteps(plan)) {
    log(`  wrangler ${args.join(" ")}`);
    await wrangler(args, { account, allowFailure: /already (exists|taken|in use)|duplicate/i });
  }
  for (const { config, configFile } of plan) {
    log(`  deploy ${config.name}`);
    await wrangler(["deploy", "-c", configFile], { account });
  }
}
