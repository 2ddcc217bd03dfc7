// `npm run provision -- --env staging|production [--dry-run]`: creates what `wrangler deploy` cannot provision itself
// (KV, D1 and R2 bindings carry no ids; wrangler creates or finds them by name on deploy): the Vectorize index and
// its metadata indexes, the Queues and their DLQ, the D1 databases that have migrations, and applies those
// migrations remotely. Idempotent: what exists is kept. Everything is read from the services' wrangler.jsonc.
import { spawnSync } from "node:child_process";
import { relative } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { DEPLOYABLE, ENVS, readServiceConfig } from "./deploy.mjs";
import { configPath, ROOT } from "./mesh.mjs";

// Metadata keys Vectorize filters on; an index must exist before vectors are written (at most 10 per index).
// Platform-reserved keys only: add a tenant's own filter keys here before its documents are ingested.
export const METADATA_INDEXES = [
  { property: "docId", type: "string" },
  { property: "contentType", type: "string" },
];

const unique = (items, key) => [...new Map(items.map((item) => [key(item), item])).values()];

/**
 * The provisioning steps for env, in order. Each step is a wrangler command line (`args`) and, for creations,
 * `kind` + `name` so a real run can skip what already exists.
 */
export function provisionPlan(env) {
  const configs = DEPLOYABLE.map((service) => ({ service, top: readServiceConfig(service), config: readServiceConfig(service, env) }));
  const steps = [];
  for (const { top, config } of configs) {
    for (const binding of config.vectorize ?? []) {
      const twin = (top.services ?? []).find((s) => s.binding === binding.binding && s.entrypoint === "LocalVectorize");
      const { dimensions = 768, metric = "cosine" } = twin?.props ?? {};
      steps.push({ kind: "vectorize", name: binding.index_name, args: ["vectorize", "create", binding.index_name, `--dimensions=${dimensions}`, `--metric=${metric}`] });
      for (const { property, type } of METADATA_INDEXES) {
        steps.push({ kind: "metadata-index", index: binding.index_name, name: property, args: ["vectorize", "create-metadata-index", binding.index_name, `--propertyName=${property}`, `--type=${type}`] });
      }
    }
  }
  for (const { config } of configs) {
    const queues = [...(config.queues?.producers ?? []).map((p) => p.queue), ...(config.queues?.consumers ?? []).flatMap((c) => [c.queue, c.dead_letter_queue])];
    for (const queue of queues.filter(Boolean)) steps.push({ kind: "queue", name: queue, args: ["queues", "create", queue] });
  }
  const migrated = configs.flatMap(({ service, config }) => (config.d1_databases ?? []).filter((db) => db.migrations_dir).map((db) => ({ service, db })));
  for (const { db } of migrated) steps.push({ kind: "d1", name: db.database_name, args: ["d1", "create", db.database_name] });
  for (const { service, db } of migrated) {
    steps.push({ kind: "migrations", name: db.database_name, args: ["d1", "migrations", "apply", db.binding, "--remote", "-e", env, "-c", relative(ROOT, configPath(service))] });
  }
  return unique(steps, (step) => step.args.join(" "));
}

const commandLine = (args) => `npx wrangler ${args.join(" ")}`;

function wrangler(args) {
  const result = spawnSync(process.execPath, [`${ROOT}/node_modules/wrangler/bin/wrangler.js`, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" } });
  return { ok: result.status === 0, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}

function listJson(args) {
  const { ok, output } = wrangler([...args, "--json"]);
  if (!ok) throw new Error(`${commandLine(args)} failed:\n${output}`);
  return JSON.parse(output.slice(output.search(/[[{]/)));
}

/** Whether the resource a creation step makes exists already (queues are checked by their create's answer). */
function existing() {
  const d1 = new Set(listJson(["d1", "list"]).map((db) => db.name));
  const indexes = new Set(listJson(["vectorize", "list"]).map((index) => index.name));
  const metadata = new Map();
  return (step) => {
    if (step.kind === "d1") return d1.has(step.name);
    if (step.kind === "vectorize") return indexes.has(step.name);
    if (step.kind === "metadata-index") {
      if (!metadata.has(step.index)) metadata.set(step.index, new Set(listJson(["vectorize", "list-metadata-index", step.index]).map((m) => m.propertyName)));
      return metadata.get(step.index).has(step.name);
    }
    return false;
  };
}

function main() {
  const { values } = parseArgs({ options: { env: { type: "string", short: "e" }, "dry-run": { type: "boolean", default: false } } });
  if (!ENVS.includes(values.env)) {
    console.error(`provision: pass --env staging or --env production${values.env ? `, not "${values.env}"` : ""}\nusage: npm run provision -- --env staging|production [--dry-run]`);
    process.exit(1);
  }
  const plan = provisionPlan(values.env);
  if (values["dry-run"]) {
    console.log(`Provisioning plan for ${values.env} (dry run: nothing is read or created; a real run skips what exists):`);
    for (const step of plan) console.log(`  ${commandLine(step.args)}`);
    return;
  }
  const exists = existing();
  for (const step of plan) {
    if (exists(step)) {
      console.log(`✓ exists: ${step.kind} ${step.name}`);
      continue;
    }
    console.log(`▶ ${commandLine(step.args)}`);
    const { ok, output } = wrangler(step.args);
    if (!ok && !(step.kind === "queue" && /already (exists|taken)/i.test(output))) {
      console.error(output);
      console.error(`✖ provisioning ${values.env} stopped at: ${commandLine(step.args)}`);
      process.exit(1);
    }
  }
  console.log(`\nProvisioned ${values.env}. Deploy with: npm run deploy -- --env ${values.env}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
