// Runs the mesh on Miniflare directly: each service's wrangler.jsonc read by wrangler, its entry bundled by esbuild
// (as wrangler bundles it), all Workers in one workerd process behind one port. `wrangler dev` puts a proxy Worker
// in a second workerd process in front, which costs more CPU per request than a local mesh can spare (README).
// Usage: node scripts/mesh-runner.mjs --port N --persist-to DIR [--var NAME:VALUE ...] [--watch] -c CONFIG ...
import { context, stop } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";
import { WORKER_BUNDLE } from "./mesh.mjs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { port: { type: "string" }, "persist-to": { type: "string" }, var: { type: "string", multiple: true }, c: { type: "string", multiple: true }, watch: { type: "boolean" } },
});
const vars = Object.fromEntries((values.var ?? []).map((v) => [v.slice(0, v.indexOf(":")), v.slice(v.indexOf(":") + 1)]));

// Each Worker's entry with `MeshEntry` added, what the mesh's port serves (the first Worker's):
// - It routes as the static-assets router would by the `run_worker_first` globs of wrangler.jsonc (the gateway's
//   console is assets-first, the API worker-first), without the router's two Worker hops (about 0.8 ms a request).
// - As the edge does (and `wrangler dev`'s ensure-req-body-drained middleware, in part): a request body the Worker
//   left unread, or cancelled, is read to its end before the response goes out, so a client still sending (an upload
//   refused with 413) gets the answer, not EPIPE.
const globRule = (glob) => ({ not: glob.startsWith("!"), source: `^${glob.replace(/^!/, "").replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$` });
const WRAPPED_ENTRY = (main, runWorkerFirst) => `
import { WorkerEntrypoint } from "cloudflare:workers";
import worker from ${JSON.stringify(main)};
export * from ${JSON.stringify(main)};
export default worker;
const rules = ${JSON.stringify((runWorkerFirst ?? []).map(globRule))}.map(({ not, source }) => [not, new RegExp(source)]);
const workerFirst = (path) => rules.some(([not, re]) => !not && re.test(path)) && !rules.some(([not, re]) => not && re.test(path));
/** The request as the Worker sees it, and a drain of a copy of its body: a cancel by the Worker leaves the copy. */
function drainable(request) {
  if (request.body === null) return [request, async () => {}];
  const [seen, rest] = request.body.tee();
  return [new Request(request, { body: seen }), async () => { const reader = rest.getReader(); while (!(await reader.read()).done); }];
}
export class MeshEntry extends WorkerEntrypoint {
  async fetch(request) {
    if (this.env.ASSETS && rules.length > 0 && !workerFirst(new URL(request.url).pathname)) return this.env.ASSETS.fetch(request);
    const [seen, drain] = drainable(request);
    try {
      return await worker.fetch(seen, this.env, this.ctx);
    } finally {
      await drain().catch(() => {});
    }
  }
}`;

/** An esbuild context for one Worker's entry; `onBundle` gets each successful bundle's code. */
function bundler(main, define, runWorkerFirst, onBundle) {
  return context({
    ...WORKER_BUNDLE,
    stdin: { contents: WRAPPED_ENTRY(main, runWorkerFirst), resolveDir: dirname(main), sourcefile: "mesh-runner-entry.js" },
    define: { "process.env.NODE_ENV": '"development"', ...define },
    loader: { ".txt": "text", ".html": "text", ".sql": "text" },
    logLevel: "error",
    plugins: [{ name: "bundled", setup: (build) => build.onEnd((result) => void (result.errors.length === 0 && onBundle(result.outputFiles[0].text))) }],
  });
}

let mf;
let reload = Promise.resolve();
let pending = new Set();
let timer;
/** After changed bundles (--watch), one restart of workerd with all of them (an edit in shared/ changes several). */
function scheduleReload(name) {
  pending.add(name);
  clearTimeout(timer);
  timer = setTimeout(() => {
    const names = [...pending].join(", ");
    pending = new Set();
    reload = reload.then(() => mf.setOptions(options())).then(() => console.log(`reloaded ${names}`));
  }, 500);
}

const services = [];
for (const config of values.c ?? []) {
  const { workerOptions, main, define } = unstable_getMiniflareWorkerOptions(config);
  const { name, assets } = unstable_readConfig({ config });
  const runWorkerFirst = Array.isArray(assets?.run_worker_first) ? assets.run_worker_first : undefined;
  // Other asset set-ups (assets first wherever a file exists) keep Miniflare's router (and no drain).
  const service = { name, workerOptions, code: "", entrypoint: assets && !runWorkerFirst ? undefined : "MeshEntry" };
  service.bundle = await bundler(main, define ?? {}, runWorkerFirst, (code) => {
    if (code === service.code) return;
    service.code = code;
    if (mf) scheduleReload(service.name);
  });
  await service.bundle.rebuild();
  services.push(service);
}

function options() {
  const workers = services.map(({ name, workerOptions, code, entrypoint }, i) => ({
    ...workerOptions,
    name,
    // Development-only overrides (--var) go to the first Worker, the gateway.
    bindings: i === 0 ? { ...workerOptions.bindings, ...vars } : workerOptions.bindings,
    // The port serves the first Worker's MeshEntry directly. Miniflare's own entry Worker, which would otherwise answer
    // it, adds a hop of about 1 ms a request (more at the tail) to emulate the edge: request.cf, gzip, error pages.
    ...(i === 0 ? { unsafeDirectSockets: [{ host: "127.0.0.1", port: Number(values.port), entrypoint }] } : {}),
    modules: [{ type: "ESModule", path: "index.js", contents: code }],
  }));
  return convertV4MiniflareOptions({
    workers,
    host: "127.0.0.1",
    port: 0,
    // wrangler dev's layout under --persist-to, so `wrangler d1 migrations apply --local --persist-to` and an
    // earlier `wrangler dev` share the state.
    resourcePersistencePath: join(values["persist-to"], "v3"),
    // A binding to a service outside this mesh goes through the dev registry (connected or not).
    unsafeDevRegistryPath: process.env.WRANGLER_REGISTRY_PATH,
    logRequests: false,
    ...(process.env.MESH_INSPECTOR_PORT ? { inspectorPort: Number(process.env.MESH_INSPECTOR_PORT) } : {}),
  });
}

mf = new Miniflare(options());
await mf.ready;
console.log(`Ready on http://127.0.0.1:${values.port}`);
if (values.watch) for (const { bundle } of services) await bundle.watch();
else {
  // Without --watch the bundles are final: esbuild's service process (about 180 MB resident) can go.
  for (const { bundle } of services) await bundle.dispose();
  await stop();
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void mf.dispose().then(() => process.exit(0)));
