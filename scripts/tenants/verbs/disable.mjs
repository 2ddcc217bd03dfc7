// `tenants disable <id>`: every route of the tenant answers 403 tenant_disabled until `enable`.
export const usage = "disable <id>";
export const options = {};

export const run = (ctx) => setDisabled(ctx, true);

/** Disables or enables one tenant (`enable` shares this). */
export async function setDisabled(ctx, disabled) {
  const [id, ...extra] = ctx.positionals;
  if (!id || extra.length) ctx.usage("give exactly one tenant id");
  const result = await ctx.api.setDisabled(id, disabled);
  ctx.out(`${result.id}: ${result.disabled ? "disabled" : "enabled"}`);
  return 0;
}
