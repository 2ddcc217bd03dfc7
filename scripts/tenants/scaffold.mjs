// A new tenant's files (tenant.json and its prompts), for `tenants new` and `gen tenant`: from an existing tenant
// (its settings, without its hosts and keys) or from the platform's defaults; validated before anything is written.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import * as v from "valibot";
import { TENANT_CONFIG_ENTRIES, TenantConfigSchema } from "../../shared/src/tenant.ts";
import { CliError } from "./api.mjs";
import { fieldErrors, PROMPT_FILES, readTenant } from "./files.mjs";

const ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

const DEFAULTS = {
  models: { chat: "@cf/meta/llama-3.1-8b-instruct-fast", allowed: ["@cf/meta/llama-3.1-8b-instruct-fast"] },
  limits: { requestsPerMinute: 600, burst: 100 },
  budgets: { tokensPerDay: 1000000, tokensPerMonth: 20000000 },
  features: { chat: true, search: true, ingest: true, tools: true, tts: false },
};

const defaultPrompts = (name) => ({
  system: `You are the assistant of ${name}. Answer clearly and briefly, in the language of the question.`,
  answer: `Answer for ${name}'s users in a friendly, factual tone.`,
});

/** The files `new <id>` writes, as [path, content] pairs; throws a CliError when the id or the result is invalid. */
export function scaffoldTenant(dir, id, from) {
  if (!ID.test(id ?? "")) throw new CliError(`tenant id "${id}" is invalid: lowercase letters, digits and dashes, at most 32`, { exitCode: 2 });
  const name = id;
  let base = DEFAULTS;
  let prompts = defaultPrompts(name);
  if (from) {
    const source = readTenant(dir, from);
    if (source.errors) throw new CliError(`--from ${from}: ${source.file} is invalid; fix it first (npm run tenants -- validate)`);
    const { id: _id, name: _name, hosts: _hosts, keys: _keys, prompts: sourcePrompts, ...settings } = source.raw;
    base = settings;
    prompts = { ...prompts, ...sourcePrompts };
  }
  const keysRequired = "keys" in TENANT_CONFIG_ENTRIES && TENANT_CONFIG_ENTRIES.keys.type !== "optional";
  const config = { id, name, ...(keysRequired ? { keys: [] } : {}), ...base };
  const checked = v.safeParse(TenantConfigSchema, { ...config, prompts });
  if (!checked.success) throw new CliError(`the scaffold for "${id}" does not validate: ${JSON.stringify(fieldErrors(checked.issues))}`);
  const root = join(dir, id);
  return [
    [join(root, "tenant.json"), `${JSON.stringify(config, null, 2)}\n`],
    ...Object.entries(PROMPT_FILES).map(([key, file]) => [join(root, "prompts", file), `${prompts[key]}\n`]),
  ];
}

/** Writes the scaffold unless the tenant exists (never overwrites) or it is a dry run; prints what it writes. */
export function writeScaffold({ dir, id, from, dryRun, out }) {
  if (existsSync(join(dir, id ?? "", "tenant.json"))) throw new CliError(`tenant "${id}" already exists in ${dir}; not overwriting it`);
  const files = scaffoldTenant(dir, id, from);
  for (const [path, content] of files) {
    out(`${dryRun ? "would write" : "write"} ${relative(process.cwd(), path) || path}:`);
    out(content.trimEnd().replace(/^/gm, "  "));
    if (dryRun) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content, { flag: "wx" });
  }
  return files;
}
