// The mesh topology, read from the services' wrangler.jsonc files, and a way to run it locally (scripts/mesh-runner.mjs:
// Miniflare directly; MESH_RUNNER=wrangler for `wrangler dev`). `npm run dev`, the integration tests and the
// benchmarks all start the mesh through here.
import { execFileSync, spawn } from "node:child_process";
import { builtinModules } from "node:module";
import { createServer } from "node:net";
import { createWriteStream, existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildConsole } from "../services/gateway/console/build.mjs";

export const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
// The gateway comes first: the first config gets the port.
export const SERVICE_ORDER = ["gateway", "chat", "search", "ingest", "tools", "tts", "local-cloud"];
// A service name, or the path of another wrangler.jsonc (the benchmark's fixtures).
export const configPath = (service) => (service.endsWith(".jsonc") ? service : join(ROOT, "services", service, "wrangler.jsonc"));

/**
 * esbuild options that bundle a Worker entry as wrangler does: its default browser platform (packages resolve by their
 * browser, module, main fields), workerd's export conditions, node built-ins left to nodejs_compat.
 */
export const WORKER_BUNDLE = {
  bundle: true,
  write: false,
  format: "esm",
  target: "es2024",
  platform: "browser",
  conditions: ["workerd", "worker", "browser"],
  external: ["cloudflare:*", "node:*", ...builtinModules],
};

const WRANGLER = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
const RUNNER = join(ROOT, "scripts", "mesh-runner.mjs");
const QUIET_ENV = { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", NO_D1_WARNING: "true" };
// Under `wrangler dev`, its local observability (request traces and logs for the Local Explorer) more than doubles the
// mesh's CPU per request: a collector Worker stores spans for every hop. Off unless X_LOCAL_OBSERVABILITY=true.
const DEFAULT_ENV = { X_LOCAL_OBSERVABILITY: "false" };

export function runWrangler(args, options = {}) {
  return spawn(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...QUIET_ENV, ...options.env },
    stdio: options.stdio ?? "pipe",
  });
}

function waitForExit(child) {
  return new Promise((resolveExit, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => (code === 0 ? resolveExit(output) : reject(new Error(`wrangler ${child.spawnargs.slice(2).join(" ")} failed:\n${output}`))));
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => (port ? resolvePort(port) : reject(new Error("no free port"))));
    });
  });
}

/** Applies each service's D1 migrations to the local state in persistTo. */
export async function applyMigrations(persistTo, services = SERVICE_ORDER) {
  for (const service of services) {
    const dir = join(ROOT, "services", service, "migrations");
    if (service.endsWith(".jsonc") || !existsSync(dir) || readdirSync(dir).length === 0) continue;
    for (const binding of d1BindingsWithMigrations(service)) {
      await waitForExit(runWrangler(["d1", "migrations", "apply", binding, "--local", "--persist-to", persistTo, "-c", configPath(service)], { env: { CI: "true" } }));
    }
  }
}

function d1BindingsWithMigrations(service) {
  return { ingest: ["DB"], tools: ["AUDIT_DB"] }[service] ?? [];
}

const gatewayAnswers = async (url) => (await fetch(`${url}/health`)).ok;

/**
 * Starts gateway, services and twins (or the given `services`, the first one getting the port) in one workerd
 * process. Resolves once `isReady(url)` holds (by default: GET /health answers); `stop()` ends the process.
 */
export async function startMesh({ port = 8787, persistTo = join(ROOT, ".mesh-state"), stdio = "pipe", timeoutMs = 60_000, logFile, services = SERVICE_ORDER, isReady = gatewayAnswers, vars = {}, watch = false } = {}) {
  await applyMigrations(persistTo, services);
  // The gateway serves the console from its static assets: build it when its sources changed.
  if (services.includes("gateway")) buildConsole();
  const args = [...services.flatMap((s) => ["-c", configPath(s)]), "--port", String(port), "--persist-to", persistTo];
  // Development-only overrides for the gateway (the first config), e.g. a short RESERVATION_TTL_MS for a crash test.
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  if (watch) args.push("--watch");
  // A dev registry of its own: a service this mesh lacks is otherwise bound to any other mesh on the machine.
  const env = { ...DEFAULT_ENV, ...process.env, ...QUIET_ENV, WRANGLER_REGISTRY_PATH: join(persistTo, "registry") };
  // MESH_RUNNER=wrangler runs the same mesh under `wrangler dev` instead (its proxy and local tools included).
  const child =
    process.env.MESH_RUNNER === "wrangler"
      ? runWrangler(["dev", ...args.filter((a) => a !== "--watch"), "--ip", "127.0.0.1", "--show-interactive-dev-session=false", "--inspector-port", "0"], { stdio, env })
      : spawn(process.execPath, [RUNNER, ...args], { cwd: ROOT, env, stdio });
  let output = "";
  const log = logFile ? createWriteStream(logFile, { flags: "a" }) : undefined;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk) => {
      if (output.length < 1_000_000) output += chunk;
      log?.write(chunk);
    });
  }
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the mesh exited with ${child.exitCode}:\n${output}`);
    try {
      if (await isReady(url)) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (Date.now() >= deadline) {
    child.kill("SIGTERM");
    throw new Error(`mesh at ${url} was not ready within ${timeoutMs} ms:\n${output}`);
  }
  const stop = () =>
    new Promise((resolveStop) => {
      if (child.exitCode !== null) return resolveStop();
      child.once("exit", () => resolveStop());
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5000).unref();
    });
  // A crash, for the fault tests: SIGKILL to wrangler and every process under it (workerd), nothing shut down cleanly.
  const crash = () => killTree(child);
  return { url, child, stop, crash, output: () => output };
}

/** The pids of `pid` and all its descendants, from one `ps` listing. */
export function processTree(pid) {
  const children = new Map();
  for (const line of execFileSync("ps", ["-eo", "pid=,ppid="], { encoding: "utf8" }).trim().split("\n")) {
    const [p, parent] = line.trim().split(/\s+/).map(Number);
    children.set(parent, [...(children.get(parent) ?? []), p]);
  }
  const out = [];
  const walk = (p) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

/** SIGKILLs `child` and its descendants, resolving once none of them is alive. */
export async function killTree(child) {
  const pids = processTree(child.pid);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  const alive = (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 30_000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}
