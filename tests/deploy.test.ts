// Deploy pipeline: offline dry-run bundles per environment, deploy order, and the wrangler configs that keep internal services private.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { DEPLOYABLE, deployOrder, ENVS, findPlaceholders, readServiceConfig } from "../scripts/deploy.mjs";
// @ts-expect-error plain ESM script without types
import { ROOT } from "../scripts/mesh.mjs";

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

const envs: string[] = ENVS;
const deployable: string[] = DEPLOYABLE;
const internal = deployable.filter((service) => service !== "gateway");
const config = (service: string, env?: string): WorkerConfig => readServiceConfig(service, env);

function deploy(...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, "scripts", "deploy.mjs"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run deploy -- --dry-run", () => {
  // Sequential: both runs compile the tenants into the gateway first.
  it.each(envs)("bundles every deployable service for %s and never local-cloud", (env) => {
    const { code, stdout, stderr } = deploy("--env", env, "--dry-run");
    expect(code, stderr).toBe(0);
    for (const service of deployable) {
      expect(existsSync(join(ROOT, "services", service, "dist", env, "index.js")), `${service} bundle`).toBe(true);
      expect(stdout).toMatch(new RegExp(`^${service} +${config(service, env).name} +[\\d,]+ +[\\d,]+ `, "m"));
    }
    expect(existsSync(join(ROOT, "services", "local-cloud", "dist", env))).toBe(false);
    expect(stdout).not.toMatch(/^local-cloud /m);
  }, 120_000);

  it("exits non-zero with the reason for a bad or missing --env", () => {
    const bad = deploy("--env", "dev", "--dry-run");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--env must be staging or production, not "dev"');
    const missing = deploy("--dry-run");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("--env is required");
  });

  it("refuses to deploy local-cloud on its own", () => {
    const { code, stderr } = deploy("--env", "staging", "--only", "local-cloud", "--dry-run");
    expect(code).not.toBe(0);
    expect(stderr).toContain("never deployed");
  });
});

describe("deploy order", () => {
  it.each(envs)("deploys every service in %s after the services it binds", (env) => {
    const order: string[] = deployOrder(env);
    expect(order.toSorted()).toEqual(deployable.toSorted());
    expect(order.at(-1)).toBe("gateway");
    const serviceOf = new Map(deployable.map((s) => [config(s, env).name, s]));
    for (const [i, service] of order.entries()) {
      for (const binding of config(service, env).services ?? []) {
        const callee = serviceOf.get(binding.service);
        if (callee) expect(order.indexOf(callee), `${service} binds ${callee}`).toBeLessThan(i);
      }
    }
  });

  it("finds placeholder ids and the binding each belongs to", () => {
    const found = findPlaceholders({ name: "w", kv_namespaces: [{ binding: "CACHE", id: "REPLACE_WITH_STAGING_KV_ID" }], d1_databases: [{ binding: "DB", database_id: "abc" }] });
    expect(found).toEqual([{ path: "kv_namespaces[0].id", placeholder: "REPLACE_WITH_STAGING_KV_ID", binding: "CACHE", name: undefined }]);
  });
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
