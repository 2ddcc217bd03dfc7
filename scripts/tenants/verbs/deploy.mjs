// `tenants deploy <id> | --all [--env staging|production] [--dry-run]`: PUT each shared tenant's config (with its
// prompts) as a new version; a dedicated tenant gets its whole mesh deployed first (dedicated-ops.mjs), --env required.
// --all goes on past a failing tenant (in the order of their ids) and exits 1 if any failed. Development fixtures (dev keys or *.localhost hosts) are
// refused by name and skipped by --all on any platform that is not the local dev mesh.
import { CliError } from "../api.mjs";
import { deployDedicated } from "../dedicated-ops.mjs";
import { describe, drift } from "../drift.mjs";
import { deployBody, isDevFixture, normalize, readTenant, selectTenants } from "../files.mjs";

export const usage = "deploy <id> | --all [--env staging|production] [--dry-run]";
export const options = { all: { type: "boolean" }, "dry-run": { type: "boolean" }, env: { type: "string" } };

export async function run(ctx) {
  const ids = selectTenants(ctx);
  const dryRun = ctx.args["dry-run"];
  let failed = 0;
  let skipped = 0;
  for (const id of ids) {
    try {
      const tenant = readTenant(ctx.dir, id);
      if (tenant.errors) throw new CliError(`invalid tenant file: ${Object.keys(tenant.errors).join(", ")} (npm run tenants -- validate)`);
      if (tenant.config.deployment === "dedicated") {
        // Without --env, --all is a deploy to one platform (e.g. the dev mesh): a dedicated mesh is not part of it.
        if (ctx.args.all && !ctx.args.env) {
          skipped++;
          ctx.out(`skipped  ${id}  dedicated tenant: its own mesh is deployed with --env staging|production`);
          continue;
        }
        await deployDedicated(ctx, tenant, dryRun);
        continue;
      }
      // --env names a staging or production platform whatever PLATFORM_URL says.
      if (isDevFixture(tenant) && (ctx.args.env || !ctx.platform.development)) {
        if (!ctx.args.all) throw new CliError(`"${id}" is a development fixture (dev keys or *.localhost hosts); it is not deployed to ${ctx.args.env ?? ctx.platform.url}`);
        skipped++;
        ctx.out(`skipped  ${id}  development fixture, not deployed outside local development`);
        continue;
      }
      const body = deployBody(tenant);
      if (dryRun) {
        await preview(ctx, id, body);
        continue;
      }
      const result = await ctx.api.putTenant(id, body);
      ctx.out(result.unchanged ? `same     ${id}  version ${result.version} (unchanged)` : `deployed ${id}  version ${result.version}`);
    } catch (error) {
      if (!(error instanceof CliError) || error.exitCode === 2) throw error;
      failed++;
      ctx.out(`failed   ${id}  ${error.message}`);
      if (!ctx.args.all) return 1;
    }
  }
  if (ids.length > 1) ctx.out(`${ids.length - failed - skipped} of ${ids.length} tenants ${dryRun ? "checked" : "deployed"}, ${skipped ? `${skipped} skipped, ` : ""}${failed} failed`);
  return failed ? 1 : 0;
}

async function preview(ctx, id, body) {
  let deployed;
  try {
    deployed = await ctx.api.getTenant(id);
  } catch (error) {
    // A dry run stays useful offline: the config is valid, only the comparison with the platform is missing.
    if (error.status === undefined && /^cannot reach/.test(error.message)) return ctx.out(`would deploy ${id}  (platform at ${ctx.platform.url} not reachable: not compared)`);
    if (error.status !== 404) throw error;
  }
  if (!deployed) return ctx.out(`would deploy ${id}  (new tenant)`);
  const changes = drift(normalize(deployed.config), normalize(body));
  ctx.out(changes.length ? `would deploy ${id}  version ${deployed.version} -> next, ${changes.length} change(s):` : `would deploy ${id}  nothing: version ${deployed.version} is the same`);
  for (const change of changes) for (const line of describe(change)) ctx.out(`  ${line}`);
}
