// `npm run deploy -- --env staging|production [--dry-run] [--only <service>]`: the friendly front of
// `turbo run deploy --filter=... -- --env <env>`, which runs each service's own deploy (scripts/deploy-service.mjs)
// in the order turbo derives from the workspace dependencies (a service after the services it binds).
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { ENVS } from "./deploy-service.mjs";
import { configPath, ROOT, runWrangler, SERVICE_ORDER } from "./mesh.mjs";

export { ENVS };
// local-cloud holds the dev-only twins of Workers AI and Vectorize: it is never bundled nor deployed.
export const DEPLOYABLE = SERVICE_ORDER.filter((service) => service !== "local-cloud");
const USAGE = "usage: npm run deploy -- --env staging|production [--dry-run] [--only <service>]";

// wrangler is loaded on first use: refusing a bad command line should not wait for it.
const require = createRequire(import.meta.url);
export const readServiceConfig = (service, env) => require("wrangler").unstable_readConfig({ config: configPath(service), env }, { hideWarnings: true });
export const packageJson = (service) => JSON.parse(readFileSync(join(ROOT, "services", service, "package.json"), "utf8"));

/** The turbo command line (after `turbo`) that deploys `services` to env; `only` skips the services they depend on. */
export function turboArgs({ env, dryRun, services, only }) {
  return ["run", "deploy", ...services.map((service) => `--filter=${packageJson(service).name}`), ...(only ? ["--only"] : []), ...(dryRun ? ["--output-logs=errors-only"] : []), "--", "--env", env, ...(dryRun ? ["--dry-run"] : [])];
}

/** Validates tenants/ and tests/tenants/ and compiles them into the gateway's dev fixtures (written only when changed). */
export function compileTenants() {
  execFileSync(process.execPath, [join(ROOT, "scripts", "tenants.mjs")], { cwd: ROOT, stdio: "inherit" });
}

function wrangler(args) {
  const child = runWrangler(args);
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  return new Promise((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`wrangler ${args.join(" ")} exited with ${code}\n${output}`)))));
}

/** Raw and gzip bytes of what a dry-run bundle in outdir would upload. */
export function measure(outdir) {
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

/** Bundles one Worker offline (`wrangler deploy --dry-run`) and measures what would be uploaded. */
export async function bundle({ config, outdir, env }) {
  rmSync(outdir, { recursive: true, force: true });
  await wrangler(["deploy", "--dry-run", "--outdir", outdir, "-c", config, ...(env ? ["-e", env] : [])]);
  return measure(outdir);
}

/** Bundles every deployable service for env into services/<s>/dist/<env>. */
export async function bundleServices(env, services = DEPLOYABLE) {
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

export function parseCli(argv) {
  const { values } = parseArgs({ args: argv, options: { env: { type: "string", short: "e" }, "dry-run": { type: "boolean", default: false }, only: { type: "string" } } });
  if (!values.env) throw new Error("--env is required: pass --env staging or --env production");
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
    console.error(`deploy: ${error.message}\n${USAGE}`);
    process.exit(1);
  }
  const { env, dryRun, only } = options;
  const services = only ? [only] : DEPLOYABLE;
  compileTenants();
  for (const service of services) rmSync(join(ROOT, "services", service, "dist", env), { recursive: true, force: true });
  console.log(`${dryRun ? "Bundling" : "Deploying"} ${services.join(", ")} for ${env}${dryRun ? " (dry run, nothing is uploaded)" : ""} through turbo\n`);
  const turbo = spawnSync(process.execPath, [join(ROOT, "node_modules", "turbo", "bin", "turbo"), ...turboArgs({ env, dryRun, services, only })], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", TURBO_NO_UPDATE_NOTIFIER: "1", WRANGLER_SEND_METRICS: "false" },
  });
  if (turbo.status !== 0) {
    console.error(`\n✖ ${dryRun ? "bundling" : "deploying"} for ${env} failed; turbo stops before the services that depend on the failed one.`);
    process.exit(1);
  }
  if (dryRun) {
    console.log(`\n${sizeTable(services.map((service) => ({ service, worker: readServiceConfig(service, env).name, ...measure(join(ROOT, "services", service, "dist", env)) })))}`);
    console.log(`\nBundles in services/<service>/dist/${env}/`);
    return;
  }
  console.log(`\nDeployed to ${env}: ${services.join(", ")}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
