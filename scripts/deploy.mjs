// `npm run deploy -- --env staging|production [--dry-run] [--only <service>]`: `wrangler deploy -e <env>` per service, callees first.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { unstable_readConfig } from "wrangler";
import { configPath, ROOT, runWrangler, SERVICE_ORDER } from "./mesh.mjs";

export const ENVS = ["staging", "production"];
// local-cloud holds the dev-only twins of Workers AI and Vectorize: it is never bundled nor deployed.
export const DEPLOYABLE = SERVICE_ORDER.filter((service) => service !== "local-cloud");

export const readServiceConfig = (service, env) => unstable_readConfig({ config: configPath(service), env }, { hideWarnings: true });

/** Deployable services ordered so that every service comes after the services it binds. */
export function deployOrder(env) {
  const serviceOfWorker = new Map(DEPLOYABLE.map((service) => [readServiceConfig(service, env).name, service]));
  const order = [];
  const visit = (service, path) => {
    if (order.includes(service)) return;
    if (path.includes(service)) throw new Error(`service bindings form a cycle: ${[...path, service].join(" -> ")}`);
    for (const binding of readServiceConfig(service, env).services ?? []) {
      const callee = serviceOfWorker.get(binding.service);
      if (callee) visit(callee, [...path, service]);
    }
    order.push(service);
  };
  for (const service of DEPLOYABLE) visit(service, []);
  return order;
}

const CREATE_WITH = { kv_namespaces: "wrangler kv namespace create", d1_databases: "wrangler d1 create" };

/** `REPLACE_WITH_*` ids left in a service's config for env, each with the binding it belongs to. */
export function findPlaceholders(config) {
  const found = [];
  const walk = (value, path, owner) => {
    if (typeof value === "string") {
      for (const [placeholder] of value.matchAll(/REPLACE_WITH_[A-Z0-9_]+/g)) found.push({ path, placeholder, binding: owner?.binding, name: owner?.database_name });
    } else if (value && typeof value === "object") {
      for (const [key, child] of Object.entries(value)) walk(child, Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key, value);
    }
  };
  walk(config, "", undefined);
  return found;
}

export function placeholderReport(env, services) {
  const lines = [];
  for (const service of services) {
    const config = readServiceConfig(service, env);
    for (const { path, placeholder, binding, name } of findPlaceholders(config)) {
      const how = CREATE_WITH[path.split("[")[0]];
      const resource = name ?? `${config.name}-${String(binding).toLowerCase()}`;
      lines.push(`  ${relative(ROOT, configPath(service))} env.${env}.${path} = ${placeholder}` + (binding ? ` (binding ${binding}${name ? `, database ${name}` : ""})` : "") + (how ? `: create it with \`npx ${how} ${resource}\`` : ""));
    }
  }
  return lines;
}

/** Validates tenants/ and compiles them into the gateway (scripts/tenants.mjs writes only when they changed). */
export function compileTenants() {
  execFileSync(process.execPath, [join(ROOT, "scripts", "tenants.mjs")], { cwd: ROOT, stdio: "inherit" });
}

function wrangler(args, stdio = "pipe") {
  const child = runWrangler(args, { stdio });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  return new Promise((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`wrangler ${args.join(" ")} exited with ${code}\n${output}`)))));
}

/** Bundles one Worker offline (`wrangler deploy --dry-run`) and measures what would be uploaded. */
export async function bundle({ config, outdir, env }) {
  rmSync(outdir, { recursive: true, force: true });
  await wrangler(["deploy", "--dry-run", "--outdir", outdir, "-c", config, ...(env ? ["-e", env] : [])]);
  let raw = 0;
  let gzip = 0;
  for (const file of readdirSync(outdir, { recursive: true })) {
    const path = join(outdir, file);
    if (file.endsWith(".map") || file === "README.md" || !statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { outdir, raw, gzip };
}

/** Bundles every deployable service for env into services/<s>/dist/<env>, in deploy order. */
export async function bundleServices(env, services = deployOrder(env)) {
  const results = await Promise.all(services.map((service) => bundle({ config: configPath(service), outdir: join(ROOT, "services", service, "dist", env), env })));
  return services.map((service, i) => ({ service, worker: readServiceConfig(service, env).name, ...results[i] }));
}

export function sizeTable(rows) {
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  const header = ["service", "worker", "raw bytes", "gzip bytes", "raw", "gzip"];
  const body = rows.map((r) => [r.service, r.worker ?? "", r.raw.toLocaleString("en-US"), r.gzip.toLocaleString("en-US"), kib(r.raw), kib(r.gzip)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  return [header, ...body].map((row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ")).join("\n");
}

function parseCli(argv) {
  const { values } = parseArgs({ args: argv, options: { env: { type: "string" }, "dry-run": { type: "boolean", default: false }, only: { type: "string" } } });
  if (!values.env) throw new Error("--env is required: --env staging or --env production");
  if (!ENVS.includes(values.env)) throw new Error(`--env must be staging or production, not "${values.env}"`);
  if (values.only === "local-cloud") throw new Error("--only local-cloud: local-cloud holds dev-only twins and is never deployed");
  if (values.only !== undefined && !DEPLOYABLE.includes(values.only)) throw new Error(`--only must be one of ${DEPLOYABLE.join(", ")}, not "${values.only}"`);
  return { env: values.env, dryRun: values["dry-run"], only: values.only };
}

async function main() {
  let options;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error(`deploy: ${error.message}\nusage: npm run deploy -- --env staging|production [--dry-run] [--only <service>]`);
    process.exit(1);
  }
  const { env, dryRun, only } = options;
  const services = deployOrder(env).filter((service) => !only || service === only);
  compileTenants();

  const placeholders = placeholderReport(env, services);
  if (placeholders.length && !dryRun) {
    console.error(`Refusing to deploy to ${env}: wrangler.jsonc still holds placeholder ids.\nPlatform team: create these resources and put their ids in place of the placeholders:\n${placeholders.join("\n")}`);
    process.exit(1);
  }
  if (placeholders.length) console.warn(`warning: a real deploy to ${env} would be refused until these placeholder ids are filled:\n${placeholders.join("\n")}\n`);

  if (dryRun) {
    console.log(`Bundling for ${env} (dry run, nothing is uploaded): ${services.join(" -> ")}\n`);
    const rows = await bundleServices(env, services);
    console.log(sizeTable(rows));
    console.log(`\nBundles in services/<service>/dist/${env}/`);
    return;
  }
  for (const service of services) {
    console.log(`\n▶ ${service}: wrangler deploy -e ${env}`);
    try {
      await wrangler(["deploy", "-e", env, "-c", configPath(service)], "inherit");
    } catch {
      console.error(`\n✖ ${service} failed to deploy to ${env}; services after it were not deployed.`);
      process.exit(1);
    }
  }
  console.log(`\nDeployed to ${env}: ${services.join(", ")}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
