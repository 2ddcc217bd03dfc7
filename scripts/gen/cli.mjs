// `npm run gen -- tenant <id> [--from <tenant>] | service <name>  [--dry-run] [--root <dir>]`: the platform's
// generators. Dry runs write nothing; a second run changes nothing; existing files with other content are never
// overwritten. `--root` (default: the repository) lets tests generate into a temp copy.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../mesh.mjs";
import { scaffoldTenant } from "../tenants/scaffold.mjs";
import { CliError } from "../tenants/api.mjs";
import { applyPlan } from "./plan.mjs";
import { NAME, RESERVED, servicePlan } from "./service.mjs";

const USAGE = `usage: npm run gen -- tenant <id> [--from <tenant>] [--tenants-dir <dir>] [--dry-run]
       npm run gen -- service <name> [--dry-run] [--no-types]`;

function plan(kind, id, values, root) {
  if (kind === "tenant") {
    const dir = resolve(values["tenants-dir"] ?? process.env.TENANTS_DIR ?? join(root, "tenants"));
    return { files: scaffoldTenant(dir, id, values.from), edits: [] };
  }
  if (!NAME.test(id) || RESERVED.includes(id)) throw new CliError(`service name "${id}" is invalid: lowercase letters, digits and dashes (2-31), not ${RESERVED.join(", ")}`, { exitCode: 2 });
  if (existsSync(join(root, "services", id)) && !existsSync(join(root, "services", id, "src", `${id}.ts`))) throw new CliError(`services/${id} exists and was not generated; choose another name`);
  return servicePlan(root, id);
}

/** Runs one generator; returns the exit code (0 done or nothing to do, 1 conflict or failure, 2 usage). */
export function main(argv, { out = (l) => console.log(l), err = (l) => console.error(l) } = {}) {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { from: { type: "string" }, "tenants-dir": { type: "string" }, "dry-run": { type: "boolean" }, root: { type: "string" }, "no-types": { type: "boolean" } } });
  } catch (error) {
    err(`gen: ${error.message}\n${USAGE}`);
    return 2;
  }
  const [kind, id, ...extra] = args.positionals;
  if (!["tenant", "service"].includes(kind) || !id || extra.length) {
    err(USAGE);
    return 2;
  }
  const root = resolve(args.values.root ?? ROOT);
  const dryRun = Boolean(args.values["dry-run"]);
  let result;
  try {
    result = applyPlan(plan(kind, id, args.values, root), { root, dryRun, out });
  } catch (error) {
    err(`gen ${kind}: ${error.message}`);
    return error instanceof CliError ? error.exitCode : 1;
  }
  if (result.conflicts.length) return 1;
  if (dryRun) return out("dry run: nothing written"), 0;
  if (result.written.length === 0) return out(`${kind} ${id}: already generated, nothing to do`), 0;
  if (kind === "service") {
    if (!args.values["no-types"]) {
      // Env types of every service (the gateway's now include the new binding), as `npm run types` writes them.
      const types = spawnSync(process.execPath, [join(root, "scripts", "types.mjs")], { cwd: root, stdio: "inherit" });
      if (types.status !== 0) return err("gen service: `npm run types` failed; fix the config and run it again"), 1;
    }
    out(`next: npm install (links @platform/${id} and updates package-lock.json), npm test; deploy with npm run deploy -- --env staging`);
  } else out(`next: review it, commit it, then npm run tenants -- deploy ${id}`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
