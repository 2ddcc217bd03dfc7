// deploy, diff and rollback of a dedicated tenant: its whole mesh in its own account (dedicated.mjs), then its
// config on that mesh's gateway (the admin API, as for shared tenants).
import { CliError, createApi } from "./api.mjs";
import { cloudflareApi, previousVersion, workerDrift } from "./cloudflare.mjs";
import { accountEnvNames, accountFromEnv, bundleMesh, deployMesh, meshPlan, provisionSteps, resources } from "./dedicated.mjs";
import { describe, drift } from "./drift.mjs";
import { deployBody, normalize } from "./files.mjs";
import { sizeTable } from "../deploy.mjs";

export function requireEnv(ctx) {
  const env = ctx.args.env;
  if (!env) ctx.usage("a dedicated tenant needs --env staging or --env production");
  if (!["staging", "production"].includes(env)) ctx.usage(`--env must be staging or production, not "${env}"`);
  return env;
}

/** The admin API of the tenant's own gateway, or undefined when its URL and operator key are not in the environment. */
function gatewayApi(ctx, config) {
  const { urlEnv, adminKeyEnv } = accountEnvNames(config);
  const url = ctx.env[urlEnv];
  const key = ctx.env[adminKeyEnv];
  return url && key ? { api: createApi({ url: url.replace(/\/+$/, ""), key }), url } : { missing: [urlEnv, adminKeyEnv].filter((n) => !ctx.env[n]) };
}

export async function deployDedicated(ctx, tenant, dryRun) {
  const env = requireEnv(ctx);
  const { config } = tenant;
  const account = dryRun ? undefined : accountFromEnv(config, ctx.env);
  const plan = meshPlan(config.id, env, account?.accountId);
  if (dryRun) {
    const rows = await bundleMesh(plan);
    const names = accountEnvNames(config);
    ctx.out(`would deploy ${config.id}  dedicated mesh for ${env} into the account in $${names.idEnv} (token $${names.tokenEnv}), gateway pinned to TENANT_ID=${config.id}:`);
    for (const line of sizeTable(rows).split("\n")) ctx.out(`  ${line}`);
    ctx.out("  resources:");
    for (const r of resources(plan)) ctx.out(`    ${r.kind.padEnd(9)} ${r.name}`);
    ctx.out(`  then the config on the tenant's gateway ($${names.urlEnv}, operator key $${names.adminKeyEnv}); bundles in ${plan[0].dir.replace(/[/\\][^/\\]+$/, "")}`);
    return;
  }
  const gateway = gatewayApi(ctx, config);
  ctx.out(`deploying ${config.id}  dedicated mesh for ${env}: ${provisionSteps(plan).length} provisioning steps, ${plan.map((p) => p.config.name).join(", ")}`);
  await deployMesh(plan, account, (line) => ctx.out(line));
  // A first deploy has no gateway to send the config to yet: the Workers are up, the config waits for its URL and key.
  if (!gateway.api) {
    throw new CliError(`Workers deployed; config not sent: set ${gateway.missing.join(" and ")} (the tenant's new gateway and its operator key; see docs/operations.md, first deploy) and run deploy again`);
  }
  const result = await gateway.api.putTenant(config.id, deployBody(tenant));
  ctx.out(`deployed ${config.id}  ${plan.length} Workers to ${env}; config version ${result.version} on ${gateway.url}`);
}

/** Prints the drift of the tenant's Workers and config; returns the number of differences. */
export async function diffDedicated(ctx, tenant) {
  const env = requireEnv(ctx);
  const { config } = tenant;
  const account = accountFromEnv(config, ctx.env);
  const cf = cloudflareApi(account, ctx.env);
  const lines = [];
  for (const { config: worker } of meshPlan(config.id, env, account.accountId)) {
    let settings;
    try {
      settings = await cf.settings(worker.name);
    } catch (error) {
      if (error.status !== 404) throw error;
      lines.push(`worker ${worker.name}: not deployed`);
      continue;
    }
    for (const line of workerDrift(worker, settings)) lines.push(`worker ${worker.name}: ${line}`);
  }
  const gateway = gatewayApi(ctx, config);
  let note;
  if (!gateway.api) note = `config not compared: set ${gateway.missing.join(" and ")}`;
  else {
    const deployed = await gateway.api.getTenant(config.id).catch((error) => (error.status === 404 ? undefined : Promise.reject(error)));
    if (!deployed) lines.push("config: not deployed");
    else for (const change of drift(normalize(deployed.config), normalize(deployBody(tenant)))) for (const line of describe(change)) lines.push(`config: ${line}`);
  }
  ctx.out(lines.length ? `${config.id}: drift in the dedicated mesh (${env})` : `${config.id}: no drift in the dedicated mesh (${env})`);
  for (const line of lines) ctx.out(`  ${line}`);
  if (note) ctx.out(`  ${note}`);
  return lines.length;
}

/** Every Worker of the mesh back to its previous version (the gateway first), then the config. */
export async function rollbackDedicated(ctx, tenant) {
  const env = requireEnv(ctx);
  const { config } = tenant;
  const cf = cloudflareApi(accountFromEnv(config, ctx.env), ctx.env);
  // Every target is found before anything changes: a Worker without a previous version stops the rollback whole.
  const targets = [];
  for (const { config: worker } of meshPlan(config.id, env).reverse()) {
    const found = previousVersion(await cf.deployments(worker.name));
    if (!found) throw new CliError(`${worker.name} has no previous version to roll back to; nothing was changed`);
    targets.push({ name: worker.name, ...found });
  }
  for (const t of targets) {
    await cf.deployVersion(t.name, t.previous, `rollback of dedicated tenant ${config.id} (tenants CLI)`);
    ctx.out(`rolled back ${t.name}  ${t.current} -> ${t.previous}`);
  }
  const gateway = gatewayApi(ctx, config);
  if (!gateway.api) {
    ctx.out(`config not rolled back: set ${gateway.missing.join(" and ")} and run this again, or roll it back on its gateway`);
    return 1;
  }
  const result = await gateway.api.rollback(config.id, ctx.args.to === undefined ? undefined : Number(ctx.args.to));
  ctx.out(`rolled back ${config.id} config: now version ${result.version}`);
  return 0;
}
