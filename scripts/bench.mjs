// `npm run bench`: latency of the mesh (gateway + auth + one RPC hop) against one Worker doing the same work, then bundle sizes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bundle, bundleServices, compileTenants, sizeTable } from "./deploy.mjs";
import { freePort, ROOT, runWrangler, startMesh } from "./mesh.mjs";

const WARMUP = 100;
const SEQUENTIAL = 500;
const CONCURRENCY = 8;
const CONCURRENT_TOTAL = 800;
const HEADERS = { authorization: "Bearer sk-dev-demo" };
const SINGLE_CONFIG = join(ROOT, "scripts", "bench", "single-worker", "wrangler.jsonc");


/** `wrangler dev` for the single-Worker fixture; resolves once it answers. */
async function startSingle(port, persistTo) {
  const child = runWrangler(["dev", "-c", SINGLE_CONFIG, "--port", String(port), "--ip", "127.0.0.1", "--persist-to", persistTo, "--show-interactive-dev-session=false", "--inspector-port", "0"]);
  let output = "";
  child.stdout.on("data", (chunk) => output.length < 100_000 && (output += chunk));
  child.stderr.on("data", (chunk) => output.length < 100_000 && (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once("exit", done);
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5000).unref();
  });
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`single worker exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(url, { headers: HEADERS })).ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`single worker did not answer ${url} within 60 s:\n${output}`);
}

async function timedRequest({ url, headers }, samples) {
  const started = performance.now();
  const response = await fetch(url, { headers });
  const body = await response.json();
  samples?.push(performance.now() - started);
  if (response.status !== 200 || !body.ok) throw new Error(`${url} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** `total` requests from `concurrency` clients in parallel: their latencies and the wall time taken. */
async function run(target, total, concurrency) {
  const samples = [];
  let issued = 0;
  const started = performance.now();
  const client = async () => {
    while (issued < total) {
      issued++;
      await timedRequest(target, samples);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { samples, seconds: (performance.now() - started) / 1000 };
}

/** Runs the targets in alternating rounds (ABBA) so load from elsewhere on the machine hits them alike; sequential runs alternate every request. */
async function compare(targets, total, concurrency, rounds) {
  const runs = targets.map(() => ({ samples: [], seconds: 0 }));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...targets.keys()].reverse() : [...targets.keys()];
    for (const i of order) {
      const { samples, seconds } = await run(targets[i], total / rounds, concurrency);
      runs[i].samples.push(...samples);
      runs[i].seconds += seconds;
    }
  }
  return runs.map(({ samples, seconds }) => {
    samples.sort((a, b) => a - b);
    const at = (q) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
    return { median: at(0.5), p95: at(0.95), p99: at(0.99), rps: samples.length / seconds };
  });
}

function latencyTable(rows) {
  const header = ["run", "median ms", "p95 ms", "p99 ms", "req/s"];
  const body = rows.map(([name, r]) => [name, r.median.toFixed(2), r.p95.toFixed(2), r.p99.toFixed(2), r.rps.toFixed(0)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  return [header, ...body].map((row) => row.map((cell, i) => (i ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ")).join("\n");
}

compileTenants();
const stateDir = mkdtempSync(join(tmpdir(), "bench-"));
const running = [];
const cleanUp = async () => {
  await Promise.all(running.map((r) => r.stop()));
  rmSync(stateDir, { recursive: true, force: true });
};
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => cleanUp().then(() => process.exit(130)));

try {
  console.log("Starting the mesh and the single Worker (loopback only)...");
  const mesh = await startMesh({ port: await freePort(), persistTo: join(stateDir, "mesh"), timeoutMs: 120_000 });
  running.push(mesh);
  const single = await startSingle(await freePort(), join(stateDir, "single"));
  running.push(single);

  const meshTarget = { url: `${mesh.url}/health?service=chat`, headers: HEADERS };
  const probe = await fetch(meshTarget.url, { headers: HEADERS }).then((r) => r.json()).catch(() => undefined);
  const perService = probe?.ok && Object.keys(probe.data?.services ?? {}).join() === "chat";
  if (!perService) {
    meshTarget.url = `${mesh.url}/health`;
    console.log("note: the gateway does not answer /health?service=chat yet; measuring /health with the key (RPC to every service) instead.");
  }
  // The floor: the same loopback path through wrangler dev's proxy, with no key: no auth and no RPC.
  const targets = [meshTarget, { url: `${single.url}/health?service=chat`, headers: HEADERS }, { url: `${mesh.url}/health`, headers: {} }];
  for (let i = 0; i < WARMUP; i++) await Promise.all(targets.map((target) => timedRequest(target)));
  const [meshSeq, singleSeq, floorSeq] = await compare(targets, SEQUENTIAL, 1, SEQUENTIAL);
  const [meshConc, singleConc, floorConc] = await compare(targets, CONCURRENT_TOTAL, CONCURRENCY, 8);
  console.log(`\nGET ${new URL(meshTarget.url).pathname}${new URL(meshTarget.url).search} with a key: mesh (gateway -> chat over RPC) vs one Worker doing the same in-process.`);
  console.log(`${WARMUP} warm-up requests each; sequential requests alternate between targets, concurrent ones in 8 rounds; times include the client and wrangler dev's local proxy.\n`);
  console.log(latencyTable([
    [`mesh   sequential (n=${SEQUENTIAL})`, meshSeq],
    [`single sequential (n=${SEQUENTIAL})`, singleSeq],
    [`floor  sequential (n=${SEQUENTIAL})`, floorSeq],
    [`mesh   concurrency ${CONCURRENCY} (n=${CONCURRENT_TOTAL})`, meshConc],
    [`single concurrency ${CONCURRENCY} (n=${CONCURRENT_TOTAL})`, singleConc],
    [`floor  concurrency ${CONCURRENCY} (n=${CONCURRENT_TOTAL})`, floorConc],
  ]));
  const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
  console.log(`\nfloor = gateway /health without a key (no auth, no RPC)`);
  console.log(`mesh/single, sequential:    median ${ratio(meshSeq.median, singleSeq.median)}, p95 ${ratio(meshSeq.p95, singleSeq.p95)}, p99 ${ratio(meshSeq.p99, singleSeq.p99)}, req/s ${ratio(meshSeq.rps, singleSeq.rps)}`);
  console.log(`mesh/single, concurrency ${CONCURRENCY}: median ${ratio(meshConc.median, singleConc.median)}, p95 ${ratio(meshConc.p95, singleConc.p95)}, p99 ${ratio(meshConc.p99, singleConc.p99)}, req/s ${ratio(meshConc.rps, singleConc.rps)}`);

  console.log("\nBundle sizes (wrangler deploy --dry-run -e production, offline):\n");
  const rows = await bundleServices("production");
  const total = rows.reduce((sum, r) => ({ service: "mesh total", raw: sum.raw + r.raw, gzip: sum.gzip + r.gzip }), { raw: 0, gzip: 0 });
  const fixture = await bundle({ config: SINGLE_CONFIG, outdir: join(stateDir, "single-dist") });
  console.log(sizeTable([...rows, total, { service: "single-worker", worker: "bench fixture", ...fixture }]));
} finally {
  await cleanUp();
}
