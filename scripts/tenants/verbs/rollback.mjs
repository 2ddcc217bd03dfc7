// `tenants rollback <id> [--to <version>] [--env <env>]`: a new version with an earlier version's config (default: the
// one before); for a dedicated tenant every Worker of its mesh goes back to its previous version first.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "../api.mjs";
import { rollbackDedicated } from "../dedicated-ops.mjs";
import { readTenant } from "../files.mjs";

export const usage = "rollback <id> [--to <version>] [--env staging|production]";
export const options = { to: { type: "string" }, env: { type: "string" } };

export async function run(ctx) {
  const [id, ...extra] = ctx.positionals;
  if (!id || extra.length) ctx.usage("give exactly one tenant id");
  const to = ctx.args.to === undefined ? undefined : Number(ctx.args.to);
  if (to !== undefined && !(Number.isInteger(to) && to >= 1)) throw new CliError(`--to must be a version number (got "${ctx.args.to}")`, { exitCode: 2 });
  // A tenant only the platform knows (no file in git) is a shared one.
  const tenant = existsSync(join(ctx.dir, id, "tenant.json")) ? readTenant(ctx.dir, id) : undefined;
  if (tenant?.config?.deployment === "dedicated") return rollbackDedicated(ctx, tenant);
  const result = await ctx.api.rollback(id, to);
  ctx.out(`rolled back ${id} to ${to === undefined ? "the previous version" : `version ${to}`}: now version ${result.version}`);
  ctx.out(`git still holds the newer config: fix it there (npm run tenants -- diff ${id}) before the next deploy`);
  return 0;
}
