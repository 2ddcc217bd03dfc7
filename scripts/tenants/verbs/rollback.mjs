// `tenants rollback <id> [--to <version>]`: a new version with an earlier version's config (default: the one before).
import { CliError } from "../api.mjs";

export const usage = "rollback <id> [--to <version>]";
export const options = { to: { type: "string" } };

export async function run(ctx) {
  const [id, ...extra] = ctx.positionals;
  if (!id || extra.length) ctx.usage("give exactly one tenant id");
  const to = ctx.args.to === undefined ? undefined : Number(ctx.args.to);
  if (to !== undefined && !(Number.isInteger(to) && to >= 1)) throw new CliError(`--to must be a version number (got "${ctx.args.to}")`, { exitCode: 2 });
  const result = await ctx.api.rollback(id, to);
  ctx.out(`rolled back ${id} to ${to === undefined ? "the previous version" : `version ${to}`}: now version ${result.version}`);
  ctx.out(`git still holds the newer config: fix it there (npm run tenants -- diff ${id}) before the next deploy`);
  return 0;
}
