// `tenants status`: every tenant deployed or in git: deployed version, disabled, drift from git (yes/no).
import { readTenant, tenantIds } from "../files.mjs";
import { table } from "../table.mjs";
import { tenantDrift } from "./diff.mjs";

export const usage = "status";
export const options = {};

export async function run(ctx) {
  const { tenants } = await ctx.api.listTenants();
  const deployed = new Map(tenants.map((t) => [t.id, t]));
  const ids = [...new Set([...deployed.keys(), ...tenantIds(ctx.dir)])].sort((a, b) => a.localeCompare(b));
  const rows = [];
  for (const id of ids) {
    const live = deployed.get(id);
    const inGit = tenantIds(ctx.dir).includes(id);
    const tenant = inGit ? readTenant(ctx.dir, id) : undefined;
    let driftCell = "not in git";
    if (tenant?.errors) driftCell = "invalid file";
    else if (tenant && live) driftCell = (await tenantDrift(ctx, tenant))?.changes.length ? "yes" : "no";
    else if (tenant) driftCell = "not deployed";
    rows.push([id, live ? String(live.version) : "-", live ? (live.disabled ? "yes" : "no") : "-", driftCell, live?.updatedAt ?? "-"]);
  }
  for (const line of table(["TENANT", "VERSION", "DISABLED", "DRIFT", "UPDATED"], rows)) ctx.out(line);
  return 0;
}
