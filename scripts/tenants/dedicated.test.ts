// Dedicated tenants offline: the deploy plan and bundles through --dry-run (bundled once for the file), and drift and
// rollback against a local fake of the Cloudflare API endpoints used (CLOUDFLARE_API_BASE_URL), in a temp tenants dir.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApi } from "./api.mjs";
import { main } from "./cli.mjs";
import { expectedBindings } from "./cloudflare.mjs";
import { meshPlan } from "./dedicated.mjs";
import { OPERATOR_KEY, startFakePlatform, type FakePlatform } from "./fake-platform.ts";
import { deployBody, readTenant } from "./files.mjs";
import { readServiceConfig } from "../deploy.mjs";

const ROOT = join(import.meta.dirname, "..", "..");
const ACCOUNT = "0123456789abcdef0123456789abcdef";
let dir: string;
let platform: FakePlatform;
let cf: { url: string; server: Server; settings: Map<string, unknown>; deployments: Map<string, unknown[]>; posts: { path: string; body: Record<string, unknown> }[] };
let plan: ReturnType<typeof meshPlan>;

const writeTenant = (id: string, value: unknown) => {
  mkdirSync(join(dir, id), { recursive: true });
  writeFileSync(join(dir, id, "tenant.json"), JSON.stringify(value, null, 2));
};
const shared = (id: string) => ({ id, name: id, models: { chat: "@cf/meta/llama-3.1-8b-instruct-fast" } });

async function cli(argv: string[], env: Record<string, string> = {}) {
  const lines: string[] = [];
  const code = await main([...argv, "--tenants-dir", dir], {
    env: { PATH: process.env.PATH ?? "", PLATFORM_URL: platform.url, PLATFORM_ADMIN_KEY: OPERATOR_KEY, ...env },
    out: (line: string) => lines.push(line),
    err: (line: string) => lines.push(line),
  });
  return { code, out: lines.join("\n") };
}

/** Recorded answers of the settings endpoint: what `wrangler deploy` of the generated config leaves deployed. */
function recordedSettings(config: Record<string, unknown>) {
  const ids: Record<string, Record<string, string>> = { kv_namespace: { namespace_id: "9f0e" }, d1: { id: "6c1d" } };
  const bindings = [...expectedBindings(config).values()].map((b: { type: string }) => ({ ...b, ...ids[b.type] }));
  return { compatibility_date: config.compatibility_date, compatibility_flags: config.compatibility_flags, usage_model: "standard", bindings: [...bindings, { type: "secret_text", name: "BOOTSTRAP_TOKEN" }] };
}

function startFakeCloudflare(): Promise<typeof cf> {
  const state = { settings: new Map<string, unknown>(), deployments: new Map<string, unknown[]>(), posts: [] as { path: string; body: Record<string, unknown> }[] };
  const server = createServer((req, res) => void answer(req, res));
  async function answer(req: IncomingMessage, res: ServerResponse) {
    let text = "";
    for await (const chunk of req) text += chunk;
    const url = new URL(req.url ?? "/", "http://x");
    const match = /^\/client\/v4\/accounts\/([^/]+)\/workers\/scripts\/([^/]+)\/(settings|deployments)$/.exec(url.pathname);
    const send = (status: number, result: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(status === 200 ? { success: true, errors: [], result } : { success: false, errors: [{ code: 10007, message: "This Worker does not exist on your account." }], result: null }));
    };
    if (!match || match[1] !== ACCOUNT || req.headers.authorization !== "Bearer cf-test-token") return send(404, null);
    const [, , name, what] = match;
    if (what === "settings") return state.settings.has(name!) ? send(200, state.settings.get(name!)) : send(404, null);
    if (req.method === "POST") {
      state.posts.push({ path: `${url.pathname}${url.search}`, body: JSON.parse(text) });
      return send(200, { id: "new-deployment" });
    }
    return state.deployments.has(name!) ? send(200, { deployments: state.deployments.get(name!) }) : send(404, null);
  }
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`, server, ...state })));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tenants-dedicated-"));
  cpSync(join(ROOT, "tenants", "globex"), join(dir, "globex"), { recursive: true });
  cpSync(join(ROOT, "tenants", "acme"), join(dir, "acme"), { recursive: true });
  writeTenant("s1", shared("s1"));
  platform = await startFakePlatform();
  cf = await startFakeCloudflare();
  // As deployed: the account id placeholder filled with the tenant's account (diff compares against that).
  plan = meshPlan("globex", "staging", ACCOUNT);
}, 120_000);
afterAll(async () => {
  await platform?.close();
  cf?.server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("deploy --dry-run", () => {
  it("bundles the dedicated tenant's whole mesh, skips the dev fixture, bundles nothing for a shared tenant: one status each, exit 0", async () => {
    const { code, out } = await cli(["deploy", "--all", "--env", "staging", "--dry-run"]);
    expect(code, out).toBe(0);
    expect(out).toMatch(/^skipped {2}acme {2}development fixture/m);
    expect(out).toMatch(/^would deploy s1 {2}\(new tenant\)$/m);
    expect(out).toMatch(/^would deploy globex {2}dedicated mesh for staging/m);
    expect(out).toContain("2 of 3 tenants checked, 1 skipped, 0 failed");
    for (const service of ["gateway", "chat", "search", "ingest", "tools", "tts"]) expect(out).toMatch(new RegExp(`^ {2}${service} +platform-globex-${service}-staging +[\\d,]+`, "m"));
    const generated = Object.fromEntries(plan.map((p) => [p.service, JSON.parse(readFileSync(p.configFile, "utf8"))]));
    expect(generated.gateway.vars).toEqual({ ...readServiceConfig("gateway", "staging").vars, TENANT_ID: "globex" });
    expect(generated.gateway.vars.ENVIRONMENT).toBe("staging");
    expect(generated.gateway.services.map((s: { service: string }) => s.service)).toEqual(["chat", "search", "ingest", "tools", "tts"].map((s) => `platform-globex-${s}-staging`));
    expect(generated.gateway.assets).toMatchObject({ directory: join(ROOT, "services", "gateway", "console", "dist"), binding: "ASSETS" });
    expect(generated.ingest.d1_databases[0].database_name).toBe("platform-globex-documents-staging");
    expect(generated.ingest.queues.consumers[0].dead_letter_queue).toBe("platform-globex-ingest-dlq-staging");
    expect(generated.search.vectorize[0].index_name).toBe("platform-globex-chunks-staging");
    expect(generated.tts.r2_buckets[0].bucket_name).toBe("platform-globex-audio-staging");
    expect(plan.at(-1)!.service).toBe("gateway");
    expect(platform.requests.filter((r) => r.method === "PUT")).toEqual([]);
  }, 900_000);

  it("reports an invalid tenant failed, still does the others, exits non-zero", async () => {
    const other = mkdtempSync(join(tmpdir(), "tenants-dedicated-bad-"));
    try {
      cpSync(join(dir, "s1"), join(other, "s1"), { recursive: true });
      mkdirSync(join(other, "bad"));
      writeFileSync(join(other, "bad", "tenant.json"), JSON.stringify({ ...shared("bad"), deployment: "isolated" }));
      const lines: string[] = [];
      const code = await main(["deploy", "--all", "--env", "staging", "--dry-run", "--tenants-dir", other], { env: { PLATFORM_URL: platform.url, PLATFORM_ADMIN_KEY: OPERATOR_KEY }, out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) });
      const out = lines.join("\n");
      expect(code).toBe(1);
      expect(out).toMatch(/^failed {3}bad {2}invalid tenant file: deployment/m);
      expect(out).toMatch(/^would deploy s1 /m);
      expect(out).toContain("1 of 2 tenants checked, 1 failed");
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it("refuses a dedicated tenant without --env; --all without --env skips it", async () => {
    const { code, out } = await cli(["deploy", "globex", "--dry-run"]);
    expect(code).toBe(2);
    expect(out).toContain("a dedicated tenant needs --env staging or --env production");
    const all = await cli(["deploy", "--all", "--dry-run"]);
    expect(all.out).toMatch(/^skipped {2}globex {2}dedicated tenant: its own mesh is deployed with --env staging\|production$/m);
    expect(all.code).toBe(0);
  });
});

describe("diff and rollback against the fake Cloudflare API", () => {
  const env = () => ({ CLOUDFLARE_API_BASE_URL: cf.url, CLOUDFLARE_ACCOUNT_ID_GLOBEX: ACCOUNT, CLOUDFLARE_API_TOKEN_GLOBEX: "cf-test-token", PLATFORM_URL_GLOBEX: platform.url, PLATFORM_ADMIN_KEY_GLOBEX: OPERATOR_KEY });
  const record = () => {
    cf.settings.clear();
    for (const { config } of plan) cf.settings.set(config.name as string, recordedSettings(config));
  };

  beforeAll(async () => {
    const tenant = readTenant(dir, "globex");
    const api = createApi({ url: platform.url, key: OPERATOR_KEY });
    await api.putTenant("globex", { ...deployBody(tenant), name: "Globex (before)" });
    await api.putTenant("globex", deployBody(tenant));
  });

  it("exits 0 when nothing differs", async () => {
    record();
    const { code, out } = await cli(["diff", "globex", "--env", "staging"], env());
    expect(out).toBe("globex: no drift in the dedicated mesh (staging)");
    expect(code).toBe(0);
  });

  it("exits 1 and names the differing binding", async () => {
    record();
    const gateway = cf.settings.get("platform-globex-gateway-staging") as { bindings: { name: string; service?: string }[] };
    gateway.bindings.find((b) => b.name === "CHAT")!.service = "platform-chat-staging";
    const { code, out } = await cli(["diff", "globex", "--env", "staging"], env());
    expect(code).toBe(1);
    expect(out).toContain('worker platform-globex-gateway-staging: binding CHAT: service repo "platform-globex-chat-staging", deployed "platform-chat-staging"');
    expect(out.split("\n")).toHaveLength(2);
  });

  it("exits 1 when a Worker is missing", async () => {
    record();
    cf.settings.delete("platform-globex-tts-staging");
    const { code, out } = await cli(["diff", "globex", "--env", "staging"], env());
    expect(code).toBe(1);
    expect(out).toContain("worker platform-globex-tts-staging: not deployed");
  });

  it("rolls every Worker back to its previous version (the gateway first) and the config with it", async () => {
    for (const { config } of plan) {
      const name = config.name as string;
      cf.deployments.set(name, [
        { id: "d3", versions: [{ version_id: `${name}-v3`, percentage: 100 }] },
        { id: "d2", versions: [{ version_id: `${name}-v3`, percentage: 100 }] },
        { id: "d1", versions: [{ version_id: `${name}-v2`, percentage: 100 }] },
      ]);
    }
    const { code, out } = await cli(["rollback", "globex", "--env", "staging"], env());
    expect(code, out).toBe(0);
    expect(cf.posts.map((p) => p.path)).toEqual([...plan].reverse().map(({ config }) => `/client/v4/accounts/${ACCOUNT}/workers/scripts/${config.name}/deployments?force=true`));
    expect(cf.posts[0]!.body).toMatchObject({ strategy: "percentage", versions: [{ version_id: "platform-globex-gateway-staging-v2", percentage: 100 }] });
    expect(out).toContain("rolled back globex config: now version 3");
    expect(platform.tenants.get("globex")!.versions.at(-1)!.config.name).toBe("Globex (before)");
  });
});
