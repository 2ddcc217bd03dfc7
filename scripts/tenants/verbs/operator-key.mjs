// `tenants operator-key create [--name <n>]`: a new operator key (scope platform), created by an existing operator
// (PLATFORM_ADMIN_KEY) through the admin API and printed once. The very first operator key of a platform comes
// from the bootstrap in docs/operations.md.
export const usage = "operator-key create [--name <n>]";
export const options = { name: { type: "string" } };

export async function run(ctx) {
  const [action, ...extra] = ctx.positionals;
  if (action !== "create" || extra.length) ctx.usage("the only action is create");
  const result = await ctx.api.createOperatorKey({ name: ctx.args.name ?? `operator-${new Date().toISOString().slice(0, 10)}` });
  ctx.out(`operator key ${result.id} (shown once, store it now; it manages every tenant):\n${result.key}`);
  return 0;
}
