// `npm run tenants -- <verb>`: per-tenant deploys from git to a running platform (new, validate, deploy, diff,
// rollback, status, keys, operator-key) and `build`, the dev fixtures step. One module per verb in verbs/.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CliError, createApi, platformFromEnv } from "./api.mjs";
import { tenantsDir } from "./files.mjs";

// A verb is a module in verbs/ exporting `usage`, `options` (node:util parseArgs) and `run(ctx)`: adding one is adding a file.
const VERBS = readdirSync(join(import.meta.dirname, "verbs")).filter((f) => f.endsWith(".mjs")).map((f) => f.slice(0, -4));

const USAGE = `usage: npm run tenants -- <verb> [options]
  build                                   validate tenants and compile the gateway's dev fixtures
  new <id> [--from <tenant>] [--dry-run]  scaffold tenants/<id>/tenant.json and prompts/
  validate                                check every tenant file, field by field
  deploy <id> | --all [--dry-run]         put the config (with its prompts) on the platform as a new version;
         [--env staging|production]       a dedicated tenant: its own mesh in its own account first (--env required)
  diff <id> | --all [--env <env>]         drift between git and the deployed version (exit 1 on drift)
  rollback <id> [--to <version>]          deploy an earlier version again (dedicated: every Worker too, --env)
  status                                  deployed tenants: version, disabled, drift
  enable <id> | disable <id>              let a tenant answer again / answer 403 tenant_disabled everywhere
  keys <id> create|list|revoke|rotate     the tenant's API keys (create prints the key once)
  operator-key create                     a new operator key (scope platform)
options: --tenants-dir <dir> (or TENANTS_DIR); platform: PLATFORM_URL (default http://127.0.0.1:8787),
         PLATFORM_ADMIN_KEY (default sk-dev-operator, local development only)`;

/** Runs one CLI invocation; returns the exit code (0 ok, 1 failure or drift, 2 usage). */
export async function main(argv, io = {}) {
  const env = io.env ?? process.env;
  const out = io.out ?? ((line) => console.log(line));
  const err = io.err ?? ((line) => console.error(line));
  const [verb, ...rest] = argv;
  if (!verb || verb === "help" || verb === "--help" || verb === "-h") {
    out(USAGE);
    return verb ? 0 : 2;
  }
  if (!VERBS.includes(verb)) {
    err(`tenants: unknown verb "${verb}"\n${USAGE}`);
    return 2;
  }
  const module = await import(`./verbs/${verb}.mjs`);
  let args;
  try {
    args = parseArgs({ args: rest, allowPositionals: true, options: { "tenants-dir": { type: "string" }, ...module.options } });
  } catch (error) {
    err(`tenants ${verb}: ${error.message}\nusage: npm run tenants -- ${module.usage}`);
    return 2;
  }
  let platform;
  const ctx = {
    args: args.values,
    positionals: args.positionals,
    dir: tenantsDir(args.values["tenants-dir"], env),
    env,
    out,
    err,
    get platform() {
      return (platform ??= platformFromEnv(env));
    },
    get api() {
      return createApi(this.platform);
    },
    usage(message) {
      throw new CliError(`${message}\nusage: npm run tenants -- ${module.usage}`, { exitCode: 2 });
    },
  };
  try {
    return (await module.run(ctx)) ?? 0;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    err(`tenants ${verb}: ${error.message}`);
    return error.exitCode;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
