// `tenants validate`: every tenant file against the shared schema, field-level errors, exit 1 on any.
import { readTenant, tenantIds } from "../files.mjs";

export const usage = "validate";
export const options = {};

export function run(ctx) {
  const ids = tenantIds(ctx.dir);
  if (ids.length === 0) ctx.out(`no tenants in ${ctx.dir}`);
  let failed = 0;
  for (const id of ids) {
    const tenant = readTenant(ctx.dir, id);
    if (!tenant.errors) {
      ctx.out(`ok       ${id}`);
      continue;
    }
    failed++;
    ctx.out(`invalid  ${id}  (${tenant.file})`);
    for (const [field, messages] of Object.entries(tenant.errors)) for (const message of messages) ctx.out(`  ${field}: ${message}`);
  }
  ctx.out(`${ids.length - failed} valid, ${failed} invalid`);
  return failed ? 1 : 0;
}
