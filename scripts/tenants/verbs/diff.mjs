// `tenants diff <id> | --all [--env <env>]`: field-by-field drift between git and the deployed version; exit 1 on any
// drift (a tenant not deployed yet counts), 0 when there is none. A dedicated tenant's Workers are compared too.
import { CliError } from "../api.mjs";
import { diffDedicated } from "../dedicated-ops.mjs";
import { describe, drift } from "../drift.mjs";
import { deployBody, normalize, readTenant, selectTenants } from "../files.mjs";

export const usage = "diff <id> | --all [--env staging|production]";
export const options = { all: { type: "boolean" }, env: { type: "string" } };

/** The changes from the deployed config to git's, or undefined when the tenant is not deployed. */
export async function tenantDrift(ctx, tenant) {
  const deployed = await ctx.api.getTenant(tenant.id).catch((error) => {
    if (error.status === 404) return undefined;
    throw error;
  });
  return deployed && { version: deployed.version, changes: drift(normalize(deployed.config), normalize(deployBody(tenant))) };
}

export async function run(ctx) {
  let drifted = 0;
  for (const id of selectTenants(ctx)) {
    const tenant = readTenant(ctx.dir, id);
    if (tenant.errors) throw new CliError(`${tenant.file} is invalid (npm run tenants -- validate)`);
    if (tenant.config.deployment === "dedicated") {
      if (ctx.args.all && !ctx.args.env) ctx.out(`${id}: dedicated, not compared (its own mesh: pass --env staging|production)`);
      else if (await diffDedicated(ctx, tenant)) drifted++;
      continue;
    }
    const found = await tenantDrift(ctx, tenant);
    if (!found) {
      drifted++;
      ctx.out(`${id}: not deployed`);
    } else if (found.changes.length) {
      drifted++;
      ctx.out(`${id}: drift from deployed version ${found.version}`);
      for (const change of found.changes) for (const line of describe(change)) ctx.out(`  ${line}`);
    } else ctx.out(`${id}: no drift (version ${found.version})`);
  }
  return drifted ? 1 : 0;
}
