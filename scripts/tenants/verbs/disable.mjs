// `tenants disable <id>`: every route of the tenant answers 403 tenant_disabled until `enable`.
export const usage = "disable <id>";
export const options = {};

export async function run(ctx) {
  const [id, ...extra] = ctx.positionals;
  if (!id || extra.length) ctx.usage("give exactly one tenant id");
  const result = await ctx.api.setDisabled(id, true);
  ctx.out(`${result.id}: ${result.disabled ? "disabled" : "enabled"}`);
  return 0;
}
