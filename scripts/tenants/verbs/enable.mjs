// `tenants enable <id>`: a disabled tenant answers again.
export const usage = "enable <id>";
export const options = {};

export async function run(ctx) {
  const [id, ...extra] = ctx.positionals;
  if (!id || extra.length) ctx.usage("give exactly one tenant id");
  const result = await ctx.api.setDisabled(id, false);
  ctx.out(`${result.id}: ${result.disabled ? "disabled" : "enabled"}`);
  return 0;
}
