// One service's deploy, as its package's `deploy`/`build` scripts and `turbo run deploy` start it in services/<s>:
// `wrangler deploy -e staging|production`, refused without one of them or without a var it must fill (DEPLOY_VARS).
// --dry-run bundles offline into dist/<env>.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "./mesh.mjs";
import { buildConsole } from "../services/gateway/console/build.mjs";

export const ENVS = ["staging", "production"];
const USAGE = "usage: npm run deploy -- --env staging|production [--dry-run]   (or from the root: npm run deploy -- --env staging)";

// Vars a service's staging/production config declares empty, to be filled at deploy from the same-named environment
// variable (`--var`): a real deploy refuses without it; a dry run (nothing uploaded) bundles with the placeholder.
export const DEPLOY_VARS = {
  CLOUDFLARE_ACCOUNT_ID: { pattern: /^[0-9a-f]{32}$/, why: "the Cloudflare account id (32 hex digits): AI Gateway's provider endpoint needs it (docs/providers.md)" },
};

/** The service's declared vars for env, as wrangler reads them. */
export function declaredVars(service, env) {
  const wrangler = createRequire(import.meta.url)("wrangler");
  return wrangler.unstable_readConfig({ config: join(ROOT, "services", service, "wrangler.jsonc"), env }, { hideWarnings: true }).vars ?? {};
}

/** `--var NAME:value` for each DEPLOY_VARS placeholder the config declares, or an Error naming what is missing. */
export function deployVarArgs(declared, processEnv, dryRun) {
  const args = [];
  for (const [name, { pattern, why }] of Object.entries(DEPLOY_VARS)) {
    if (declared[name] !== "") continue;
    const value = processEnv[name];
    if (value && !pattern.test(value)) return new Error(`${name} is set but is not ${why}`);
    if (!value && !dryRun) return new Error(`refusing to deploy without ${name}: set it to ${why}`);
    if (value) args.push("--var", `${name}:${value}`);
  }
  return args;
}

/** The wrangler arguments for one service's deploy, or an Error saying what to pass instead. */
export function wranglerDeployArgs(service, argv, processEnv = process.env, vars = declaredVars) {
  if (service === "local-cloud") return new Error("local-cloud holds the dev-only twins of Workers AI and Vectorize and is never deployed");
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { env: { type: "string", short: "e" }, "dry-run": { type: "boolean", default: false }, outdir: { type: "string" } } }));
  } catch (error) {
    return new Error(error.message);
  }
  if (!values.env) return new Error("refusing to deploy without an environment: pass --env staging or --env production (the top level of wrangler.jsonc is local development)");
  if (!ENVS.includes(values.env)) return new Error(`--env must be staging or production, not "${values.env}"`);
  const args = ["deploy", "-e", values.env, "-c", join(ROOT, "services", service, "wrangler.jsonc")];
  const filled = deployVarArgs(vars(service, values.env), processEnv, values["dry-run"]);
  if (filled instanceof Error) return filled;
  args.push(...filled);
  if (values["dry-run"]) args.push("--dry-run", "--outdir", values.outdir ?? join(ROOT, "services", service, "dist", values.env));
  return args;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const service = basename(process.cwd());
  const args = wranglerDeployArgs(service, process.argv.slice(2));
  if (args instanceof Error) {
    console.error(`${service}: ${args.message}\n${USAGE}`);
    process.exit(1);
  }
  // The gateway's dev fixtures module must exist to be resolved, even though staging/production builds drop it.
  if (service === "gateway") spawnSync(process.execPath, [join(ROOT, "scripts", "tenants.mjs")], { cwd: ROOT, stdio: "inherit" });
  // The gateway ships the console as its static assets (services/gateway/console/dist).
  if (service === "gateway") buildConsole();
  const result = spawnSync(process.execPath, [join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js"), ...args], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
