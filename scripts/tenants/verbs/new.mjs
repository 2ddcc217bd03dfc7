// `tenants new <id> [--from <tenant>] [--dry-run]`: scaffold a tenant in git (see ../scaffold.mjs).
import { writeScaffold } from "../scaffold.mjs";

export const usage = "new <id> [--from <tenant>] [--dry-run]";
export const options = { from: { type: "string" }, "dry-run": { type: "boolean" } };

export function run(ctx) {
  const [id, ...extra] = ctx.positionals;
  if (!id || extra.length) ctx.usage("give exactly one tenant id");
  writeScaffold({ dir: ctx.dir, id, from: ctx.args.from, dryRun: ctx.args["dry-run"], out: ctx.out });
  ctx.out(ctx.args["dry-run"] ? "dry run: nothing written" : `next: review it, commit it, then npm run tenants -- deploy ${id}`);
  return 0;
}
