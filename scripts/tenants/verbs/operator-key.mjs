// `tenants operator-key create [--name <n>] [--bootstrap]`: a new operator key (scope platform), printed once.
// Normally created by an existing operator (PLATFORM_ADMIN_KEY, POST /v1/admin/operator-keys); the platform's very
// first one with --bootstrap (implied by BOOTSTRAP_TOKEN without PLATFORM_ADMIN_KEY), which presents the gateway's BOOTSTRAP_TOKEN secret (POST /v1/admin/bootstrap, accepted
// only while no operator key exists; see docs/operations.md).
import { createApi, platformFromEnv } from "../api.mjs";

export const usage = "operator-key create [--name <n>] [--bootstrap]";
export const options = { name: { type: "string" }, bootstrap: { type: "boolean" } };

export async function run(ctx) {
  const [action, ...extra] = ctx.positionals;
  if (action !== "create" || extra.length) ctx.usage("the only action is create");
  const body = { name: ctx.args.name ?? `operator-${new Date().toISOString().slice(0, 10)}` };
  // With no operator key given but a BOOTSTRAP_TOKEN, this can only be the bootstrap.
  const bootstrap = ctx.args.bootstrap || (Boolean(ctx.env.BOOTSTRAP_TOKEN) && !ctx.env.PLATFORM_ADMIN_KEY);
  const result = bootstrap
    ? await createApi(platformFromEnv(ctx.env, { bootstrap: true })).bootstrapOperatorKey(body)
    : await ctx.api.createOperatorKey(body);
  ctx.out(`operator key ${result.id} (shown once, store it now; it manages every tenant):\n${result.key}`);
  return 0;
}
