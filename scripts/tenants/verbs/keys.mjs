// `tenants keys <id> create|list|revoke|rotate`: a thin front on the admin API's keys of one tenant. The key
// `create` and `rotate` return is printed once and never stored by the CLI.
import { CliError } from "../api.mjs";
import { table } from "../table.mjs";

export const usage = `keys <id> create [--name <n>] [--scopes chat,search] [--expires-at <iso>] [--rpm <n>] [--burst <n>] [--tokens-per-day <n>] [--tokens-per-month <n>]
       keys <id> list | revoke <keyId> | rotate <keyId> [--overlap-seconds <n>]`;
const number = { type: "string" };
export const options = {
  name: { type: "string" },
  scopes: { type: "string" },
  "expires-at": { type: "string" },
  rpm: number,
  burst: number,
  "tokens-per-day": number,
  "tokens-per-month": number,
  "overlap-seconds": number,
};

function positiveInt(ctx, flag) {
  const raw = ctx.args[flag];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new CliError(`--${flag} must be a whole number (got "${raw}")`, { exitCode: 2 });
  return value;
}

const compact = (object) => {
  const kept = Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
  return Object.keys(kept).length ? kept : undefined;
};

export async function run(ctx) {
  const [id, action, keyId, ...extra] = ctx.positionals;
  if (!id || !["create", "list", "revoke", "rotate"].includes(action)) ctx.usage("give a tenant id and one of create, list, revoke, rotate");
  if ((action === "revoke" || action === "rotate") !== Boolean(keyId) || extra.length) ctx.usage(`${action} ${action === "revoke" || action === "rotate" ? "takes one key id" : "takes no key id"}`);
  if (action === "list") {
    const { keys } = await ctx.api.listKeys(id);
    const rows = keys.map((k) => [k.id, k.name, k.prefix, k.scopes.join(","), k.createdAt, k.lastUsedAt ?? "-", k.expiresAt ?? "-", k.revokedAt ? `revoked ${k.revokedAt}` : "active"]);
    for (const line of table(["ID", "NAME", "PREFIX", "SCOPES", "CREATED", "LAST USED", "EXPIRES", "STATE"], rows)) ctx.out(line);
    return 0;
  }
  if (action === "revoke") {
    const result = await ctx.api.revokeKey(id, keyId);
    ctx.out(`revoked ${result.id} of ${id} at ${result.revokedAt}`);
    return 0;
  }
  if (action === "rotate") {
    const result = await ctx.api.rotateKey(id, keyId, compact({ overlapSeconds: positiveInt(ctx, "overlap-seconds") }) ?? {});
    ctx.out(`new key ${result.id} for ${id} (shown once, store it now):\n${result.key}`);
    ctx.out(`the old key ${result.previous.id} stays valid until ${result.previous.expiresAt}`);
    return 0;
  }
  const scopes = (ctx.args.scopes ?? "chat,search").split(",").map((s) => s.trim()).filter(Boolean);
  const body = compact({
    name: ctx.args.name ?? `${id}-${new Date().toISOString().slice(0, 10)}`,
    scopes,
    expiresAt: ctx.args["expires-at"],
    limits: compact({ requestsPerMinute: positiveInt(ctx, "rpm"), burst: positiveInt(ctx, "burst") }),
    budgets: compact({ tokensPerDay: positiveInt(ctx, "tokens-per-day"), tokensPerMonth: positiveInt(ctx, "tokens-per-month") }),
  });
  const result = await ctx.api.createKey(id, body);
  ctx.out(`key ${result.id} "${result.name}" for ${id}, scopes ${result.scopes.join(",")} (shown once, store it now):\n${result.key}`);
  return 0;
}
