// Deploy pipeline: refusal without an environment however a deploy is started, offline dry-run bundles without the
// dev tenants, turbo's deploy order, the provisioning plan, and the wrangler configs that keep internal services
// private. Nothing here reaches Cloudflare.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { DEPLOYABLE, ENVS, packageJson, readServiceConfig } from "../scripts/deploy.mjs";
// @ts-expect-error plain ESM script without types
import { ROOT } from "../scripts/mesh.mjs";
// @ts-expect-error plain ESM script without types
import { provisionPlan } from "../scripts/provision.mjs";
// @ts-expect-error plain ESM script without types
import { loadDevKeys, loadTenants } from "../scripts/tenants.mjs";

interface ServiceBinding { binding: string; service: string; entrypoint?: string }
interface WorkerConfig {
  name: string;
  workers_dev?: boolean;
  preview_urls?: boolean;
  routes?: unknown[];
  route?: unknown;
  services?: ServiceBinding[];
  ai?: { binding: string };
  vectorize?: { binding: string; index_name: string }[];
}
interface DevTenant { id: string; name: string; hosts: string[] }
interface DevKey { tenantId: string; sha256: string }

const envs: string[] = ENVS;
const deployable: string[] = DEPLOYABLE;
const internal = deployable.filter((service) => service !== "gateway");
const config = (service: string, env?: string): WorkerConfig => readServiceConfig(service, env);
const packageName = (service: string): string => packageJson(service).name;
const devTenants: DevTenant[] = loadTenants();
const devKeys: DevKey[] = loadDevKeys();
// Any request that slips through would go here and fail, never to Cloudflare.
const OFFLINE = { ...process.env, CLOUDFLARE_API_BASE_URL: "http://127.0.0.1:9/client/v4", CLOUDFLARE_API_TOKEN: "", WRANGLER_SEND_METRICS: "false", TURBO_TELEMETRY_DISABLED: "1" };

function run(command: string, args: string[], cwd = ROOT) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 170_000, env: OFFLINE });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}` };
}
// Each case starts node, npm, turbo or wrangler: generous on a loaded machine, never a wait of its own.
const SPAWN_TIMEOUT = 120_000;
const node = (script: string, ...args: string[]) => run(process.execPath, [join(ROOT, script), ...args]);
const turbo = (...args: string[]) => node("node_modules/turbo/bin/turbo", ...args);
const bundleText = (service: string, env: string) => {
  const dir = join(ROOT, "services", service, "dist", env);
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(dir, f), "utf8")).join("\n");
};

describe("npm run deploy -- --dry-run", () => {
  // Sequential: both runs compile the tenants into the gateway's dev fixtures first.
  it.each(envs)("bundles every deployable service for %s through turbo and never local-cloud", (env) => {
    const { code, stdout, stderr } = node("scripts/deploy.mjs", "--env", env, "--dry-run");
    expect(code, stderr).toBe(0);
    for (const service of deployable) {
      expect(existsSync(join(ROOT, "services", service, "dist", env, "index.js")), `${service} bundle`).toBe(true);
      expect(stdout).toMatch(new RegExp(`^${service} +${config(service, env).name} +[\\d,]+ +[\\d,]+ `, "m"));
    }
    expect(existsSync(join(ROOT, "services", "local-cloud", "dist", env))).toBe(false);
    expect(stdout).not.toMatch(/^local-cloud /m);

    // No dev tenant reaches a staging or production bundle: no key hash (the dev operator key's included), id, name
    // or host of tenants/ or tests/tenants/. Deployed tenants and keys live in the gateway's registry at runtime.
    expect(devTenants.map((t) => t.id)).toContain("acme");
    expect(devKeys.map((k) => k.tenantId)).toEqual(expect.arrayContaining(["acme", "demo", "platform"]));
    for (const service of deployable) {
      const text = bundleText(service, env);
      for (const key of devKeys) expect(text.includes(key.sha256), `${service} (${env}) holds a dev key hash of ${key.tenantId}`).toBe(false);
      expect(text, `${service} (${env}) holds a dev key`).not.toContain("sk-dev-");
      for (const tenant of devTenants) {
        for (const value of [tenant.name, ...tenant.hosts]) expect(text.includes(value), `${service} (${env}) holds ${tenant.id}'s ${value}`).toBe(false);
        expect(text, `${service} (${env}) names the dev tenant ${tenant.id}`).not.toMatch(new RegExp(`["'\`]${tenant.id}["'\`]`));
      }
    }
    // The gateway reads tenants and keys from its registry; the dev fixtures seam is empty here.
    const gateway = bundleText("gateway", env);
    expect(gateway).toContain("function buildTenants()");
    expect(gateway).toMatch(/\bRegistry = class\b|\bclass Registry\b/);
    expect((config("gateway", env) as WorkerConfig & { secrets?: { required?: string[] } }).secrets?.required).toContain("KEY_PEPPER");
  }, 180_000);

  it("exits non-zero with the reason for a bad or missing --env", () => {
    const bad = node("scripts/deploy.mjs", "--env", "dev", "--dry-run");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--env must be staging or production, not "dev"');
    const missing = node("scripts/deploy.mjs", "--dry-run");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("--env is required: pass --env staging or --env production");
  }, SPAWN_TIMEOUT);

  it("refuses to deploy local-cloud on its own", () => {
    const { code, stderr } = node("scripts/deploy.mjs", "--env", "staging", "--only", "local-cloud", "--dry-run");
    expect(code).not.toBe(0);
    expect(stderr).toContain("never deployed");
  }, SPAWN_TIMEOUT);
});

describe("a deploy without an environment", () => {
  const refusal = "pass --env staging or --env production";

  it("refuses through the package's own script in services/<service>", () => {
    const { code, output } = run("npm", ["run", "deploy", "--", "--dry-run"], join(ROOT, "services", "gateway"));
    expect(code).not.toBe(0);
    expect(output).toContain(`gateway: refusing to deploy without an environment: ${refusal}`);
  }, SPAWN_TIMEOUT);

  it("refuses through turbo", () => {
    const { code, output } = turbo("run", "deploy", "--filter=@platform/gateway", "--", "--dry-run");
    expect(code).not.toBe(0);
    expect(output).toContain(`refusing to deploy without an environment: ${refusal}`);
  }, SPAWN_TIMEOUT);

  it.each(["gateway", "search", "local-cloud"])("refuses as a plain `wrangler deploy` in services/%s", (service) => {
    const { code, output } = node("node_modules/wrangler/bin/wrangler.js", "deploy", "--dry-run", "--outdir", join(ROOT, "services", service, "dist", "top-level"), "-c", join(ROOT, "services", service, "wrangler.jsonc"));
    expect(code).not.toBe(0);
    expect(output).toContain(service === "local-cloud" ? "Refusing: local-cloud holds the dev-only twins" : "Refusing: the top level of this wrangler.jsonc is local development. Pass --env staging or --env production");
    expect(existsSync(join(ROOT, "services", service, "dist", "top-level", "index.js"))).toBe(false);
  }, SPAWN_TIMEOUT);
});

describe("deploy order", () => {
  it.each(envs)("has turbo deploy every service in %s after the services it binds", (env) => {
    const { code, stdout, stderr } = turbo("run", "deploy", ...deployable.map((s) => `--filter=${packageName(s)}`), "--dry=json", "--", "--env", env);
    expect(code, stderr).toBe(0);
    const tasks: { taskId: string; command: string; dependencies: string[] }[] = JSON.parse(stdout).tasks;
    // shared has no deploy script: turbo lists its task as <NONEXISTENT> and runs nothing.
    const deploys = new Map(tasks.filter((t) => t.command !== "<NONEXISTENT>").map((t) => [t.taskId, t.dependencies.filter((d) => d !== "@platform/shared#deploy")]));
    expect([...deploys.keys()].toSorted()).toEqual(deployable.map((s) => `${packageName(s)}#deploy`).toSorted());
    const serviceOf = new Map(deployable.map((s) => [config(s, env).name, s]));
    for (const service of deployable) {
      const callees = (config(service, env).services ?? []).map((b) => serviceOf.get(b.service)).filter(Boolean) as string[];
      for (const callee of callees) expect(deploys.get(`${packageName(service)}#deploy`), `${service} binds ${callee}`).toContain(`${packageName(callee)}#deploy`);
    }
    expect(deploys.get("@platform/gateway#deploy")?.length).toBe(internal.length);
  }, SPAWN_TIMEOUT);
});

describe("npm run provision -- --dry-run", () => {
  it("plans the Vectorize index, its metadata indexes, the Queues and the D1 migrations of staging", () => {
    expect(provisionPlan("staging").map((step: { args: string[] }) => step.args.join(" "))).toEqual([
      "vectorize create platform-chunks-staging --dimensions=768 --metric=cosine",
      "vectorize create-metadata-index platform-chunks-staging --propertyName=docId --type=string",
      "vectorize create-metadata-index platform-chunks-staging --propertyName=contentType --type=string",
      "queues create platform-ingest-staging",
      "queues create platform-ingest-dlq-staging",
      "d1 create platform-documents-staging",
      "d1 create platform-audit-staging",
      "d1 migrations apply DB --remote -e staging -c services/ingest/wrangler.jsonc",
      "d1 migrations apply AUDIT_DB --remote -e staging -c services/tools/wrangler.jsonc",
    ]);
  });

  it("prints the production plan and touches nothing", () => {
    const { code, stdout, stderr } = node("scripts/provision.mjs", "--env", "production", "--dry-run");
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("npx wrangler vectorize create platform-chunks --dimensions=768 --metric=cosine\n");
    expect(stdout).toContain("npx wrangler queues create platform-ingest-dlq\n");
    expect(stdout).toContain("npx wrangler d1 migrations apply DB --remote -e production -c services/ingest/wrangler.jsonc\n");
    expect(stdout.match(/npx wrangler /g)).toHaveLength(9);
  }, SPAWN_TIMEOUT);

  it("refuses without an environment", () => {
    const { code, stderr } = node("scripts/provision.mjs", "--dry-run");
    expect(code).not.toBe(0);
    expect(stderr).toContain("pass --env staging or --env production");
  }, SPAWN_TIMEOUT);
});

describe("wrangler.jsonc", () => {
  // workers_dev and preview_urls are inheritable: env.staging / env.production take the top level's value unless they set their own.
  // Left unset with no routes, `wrangler deploy` turns workers.dev on, so false must be explicit.
  for (const service of internal) {
    it.each(["top level", ...envs])(`keeps ${service} unreachable from outside the mesh (%s)`, (where) => {
      const resolved = config(service, where === "top level" ? undefined : where);
      expect(resolved.workers_dev).toBe(false);
      expect(resolved.preview_urls).toBe(false);
      expect(resolved.routes ?? []).toEqual([]);
      expect(resolved.route).toBeUndefined();
    });
  }

  it.each(envs)("declares KV and D1 in %s without ids, for wrangler to provision, and no placeholder", (env) => {
    for (const service of deployable) {
      const resolved = readServiceConfig(service, env) as { kv_namespaces?: { id?: string }[]; d1_databases?: { database_id?: string; database_name?: string }[] };
      for (const kv of resolved.kv_namespaces ?? []) expect(kv.id, `${service} KV`).toBeUndefined();
      for (const db of resolved.d1_databases ?? []) {
        expect(db.database_id, `${service} D1`).toBeUndefined();
        expect(db.database_name, `${service} D1 name`).toMatch(env === "staging" ? /-staging$/ : /^platform-[a-z]+$/);
      }
    }
    for (const service of [...deployable, "local-cloud"]) expect(readFileSync(join(ROOT, "services", service, "wrangler.jsonc"), "utf8")).not.toContain("REPLACE_WITH_");
  });

  for (const service of deployable) {
    it.each(envs)(`gives ${service} real bindings in %s instead of the local-cloud twins`, (env) => {
      const resolved = config(service, env);
      expect((resolved.services ?? []).filter((b) => b.service.startsWith("platform-local-cloud"))).toEqual([]);
      for (const twin of (config(service).services ?? []).filter((b) => b.service === "platform-local-cloud")) {
        if (twin.entrypoint === "LocalAI") expect(resolved.ai?.binding).toBe(twin.binding);
        else if (twin.entrypoint === "LocalVectorize") expect(resolved.vectorize?.find((v) => v.binding === twin.binding)?.index_name).toBeTruthy();
        else throw new Error(`${service} binds an unknown twin ${twin.entrypoint}`);
      }
    });

    it.each(envs)(`binds ${service} only to workers of %s`, (env) => {
      const workers = new Set(deployable.map((s) => config(s, env).name));
      for (const binding of config(service, env).services ?? []) expect(workers, binding.binding).toContain(binding.service);
    });
  }
});
