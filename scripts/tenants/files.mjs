// The tenants in git as the CLI sees them: tenants/<id>/tenant.json validated against the shared schema, the
// prompts beside it (prompts/system.md, prompts/answer.md), and the body a deploy sends (no key material).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as v from "valibot";
import { TENANT_CONFIG_ENTRIES, TenantConfigSchema } from "../../shared/src/tenant.ts";
import { ROOT } from "../mesh.mjs";
import { CliError } from "./api.mjs";

/** Prompt files a tenant may keep in git, by the name the config's `prompts` field gives them. */
export const PROMPT_FILES = { system: "system.md", answer: "answer.md" };

export function tenantsDir(flag, env) {
  return resolve(flag ?? env.TENANTS_DIR ?? join(ROOT, "tenants"));
}

export function tenantIds(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((id) => existsSync(join(dir, id, "tenant.json"))).sort((a, b) => a.localeCompare(b));
}

export function readPrompts(dir, id) {
  const prompts = {};
  for (const [name, file] of Object.entries(PROMPT_FILES)) {
    const path = join(dir, id, "prompts", file);
    if (existsSync(path)) prompts[name] = readFileSync(path, "utf8").trim();
  }
  return Object.keys(prompts).length ? prompts : undefined;
}

/** The tenant's file as git holds it, with its prompts merged in; `errors` is field -> messages when invalid. */
export function readTenant(dir, id) {
  const file = join(dir, id, "tenant.json");
  if (!existsSync(file)) throw new CliError(`no tenant "${id}": ${file} does not exist (tenants: ${tenantIds(dir).join(", ") || "none"})`);
  let raw;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return { id, file, errors: { "(file)": [`not valid JSON: ${error.message}`] } };
  }
  const prompts = readPrompts(dir, id);
  const source = prompts ? { ...raw, prompts: { ...raw.prompts, ...prompts } } : raw;
  const result = v.safeParse(TenantConfigSchema, source);
  if (!result.success) return { id, file, raw: source, errors: fieldErrors(result.issues) };
  if (result.output.id !== id) return { id, file, raw: source, errors: { id: [`"${result.output.id}" must match its folder "${id}"`] } };
  return { id, file, raw: source, config: result.output };
}

/** valibot's flatten as "field.path -> messages", the form `validate` prints. */
export function fieldErrors(issues) {
  const flat = v.flatten(issues);
  return { ...(flat.root ? { "(root)": flat.root } : {}), ...flat.nested, ...(flat.other ? { "(other)": flat.other } : {}) };
}

/** A development fixture has dev keys (dev-keys.json, or dev-only keys inline), or answers on *.localhost hosts: it is
 * never deployed outside development. */
export function isDevFixture(tenant) {
  const { hosts = [], keys = [] } = tenant.config;
  return existsSync(join(tenant.file, "..", "dev-keys.json")) || keys.some((k) => k.devOnly) || hosts.some((h) => h === "localhost" || h.endsWith(".localhost"));
}

const KEYS_IN_SCHEMA = "keys" in TENANT_CONFIG_ENTRIES && TENANT_CONFIG_ENTRIES.keys.type !== "optional";

/** What a deploy PUTs: the file as written (defaults stay the platform's), prompts included, and never key material:
 * keys live in the platform (`tenants keys`), not in git. */
export function deployBody(tenant) {
  const { keys: _keys, ...body } = tenant.raw;
  return KEYS_IN_SCHEMA ? { ...body, keys: [] } : body;
}

/** A config with the schema's defaults filled in and keys left out, so the repo and the platform compare like for like. */
export function normalize(config) {
  const result = v.safeParse(TenantConfigSchema, { keys: [], ...config });
  const { keys: _keys, ...rest } = result.success ? result.output : config;
  return rest;
}

/** The tenants a verb acts on: `<id>` or `--all` (every tenant in the directory). */
export function selectTenants(ctx) {
  const all = ctx.args.all;
  if (all && ctx.positionals.length) ctx.usage("give a tenant id or --all, not both");
  if (!all && ctx.positionals.length !== 1) ctx.usage("give exactly one tenant id, or --all");
  if (!all) return ctx.positionals;
  const ids = tenantIds(ctx.dir);
  if (ids.length === 0) throw new CliError(`no tenants in ${ctx.dir}`);
  return ids;
}
