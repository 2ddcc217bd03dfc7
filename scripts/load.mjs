// `npm run load`: a bounded load generator (by count and by time) with a mixed workload over several tenants:
// streamed chat, search, retrieve, ingest, tools and TTS. Prints throughput, p50/p95/p99 per route and errors by code,
// writes .load-reports/load-report.{json,md}, and exits non-zero only when unexpected errors pass a threshold.
//
//   npm run load -- [--duration 30] [--requests 2000] [--concurrency 4] [--tenants demo,acme,tiny]
//                   [--error-threshold 0.02] [--out .load-reports] [--allow-remote]
// PLATFORM_URL (default http://127.0.0.1:8787, the mesh of `npm run dev`); a non-loopback target needs --allow-remote.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { mulberry32 } from "./random.mjs";

/** Refusals the workload provokes on purpose (tight tenants, features a tenant has off): counted apart from errors. */
export const EXPECTED_CODES = new Set(["rate_limited", "budget_exceeded", "not_enabled", "feature_disabled"]);

/** Share of each kind of request in the mix. */
const MIX = [
  ["chat", 25],
  ["retrieve", 25],
  ["search", 15],
  ["tools", 15],
  ["tts", 10],
  ["ingest", 10],
];

const TOPICS = ["password reset", "invoices", "refund policy", "API keys", "webhooks", "data export", "single sign-on", "offline mode", "storage limits", "guest access"];

export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: "string", default: "30" },
      requests: { type: "string", default: "100000" },
      concurrency: { type: "string", default: "4" },
      tenants: { type: "string", default: "demo,acme,tiny" },
      "error-threshold": { type: "string", default: "0.02" },
      out: { type: "string", default: ".load-reports" },
      "allow-remote": { type: "boolean", default: false },
      seed: { type: "string", default: "1" },
    },
  });
  const number = (name, min, max) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}`);
    return n;
  };
  return {
    url: (process.env.PLATFORM_URL ?? "http://127.0.0.1:8787").replace(/\/$/, ""),
    durationMs: number("duration", 1, 3600) * 1000,
    maxRequests: number("requests", 1, 1_000_000),
    concurrency: number("concurrency", 1, 64),
    tenants: values.tenants.split(",").map((t) => t.trim()).filter(Boolean),
    errorThreshold: number("error-threshold", 0, 1),
    out: resolve(values.out),
    allowRemote: values["allow-remote"],
    seed: number("seed", 0, 2 ** 31),
  };
}

export function isLoopback(url) {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Nearest-rank percentile, the same method the usage API documents (docs/observability.md). */
export function nearestRank(sorted, q) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1];
}


function pickKind(rand) {
  let r = rand() * MIX.reduce((s, [, w]) => s + w, 0);
  for (const [kind, weight] of MIX) if ((r -= weight) < 0) return kind;
  return MIX[0][0];
}

/** One request of `kind` for `tenant`: its gateway route name and fetch arguments. */
function requestFor(kind, tenant, rand, n) {
  const topic = TOPICS[Math.floor(rand() * TOPICS.length)];
  const json = (path, body) => [`POST ${path}`, path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }];
  switch (kind) {
    case "chat":
      return json("/v1/chat", { message: `How does ${topic} work?`, max_tokens: 64 });
    case "retrieve":
      return json("/v1/retrieve", { query: `${topic} settings`, topK: 5 });
    case "search":
      return json("/v1/search", { query: `How do I manage ${topic}?` });
    case "tools":
      return json("/v1/tools/execute", { tool: "summarize", args: { text: `Notes about ${topic}. They explain the basics and the limits.` } });
    case "tts":
      return json("/v1/tts", { text: `Here is a short note about ${topic}.` });
    default:
      return json("/v1/ingest", { documents: [{ id: `load-${tenant}-${n % 20}`, title: `Load note ${n % 20}`, text: `# ${topic}\n\nA note about ${topic}, written by the load generator (${n % 20}).` }] });
  }
}

async function send(options, tenant, route, path, init) {
  const started = performance.now();
  let status = 0;
  let code = "";
  try {
    const response = await fetch(`${options.url}${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer sk-dev-${tenant}` } });
    status = response.status;
    const text = await response.text(); // streams: read to their end
    if (status >= 400) code = codeOf(text) || `http_${status}`;
    else if (response.headers.get("content-type")?.includes("text/event-stream") && /\nevent: error\n/.test(`\n${text}`)) code = "stream_error";
  } catch (error) {
    code = `network_${error?.cause?.code ?? "error"}`;
  }
  return { tenant, route, status, code, ms: performance.now() - started };
}

function codeOf(text) {
  try {
    const body = JSON.parse(text);
    return body?.error?.code ?? "";
  } catch {
    return "";
  }
}

export function summarize(results, elapsedMs, options) {
  const byRoute = {};
  const byTenant = {};
  const errorsByCode = {};
  let unexpected = 0;
  let expected = 0;
  for (const r of results) {
    (byRoute[r.route] ??= []).push(r);
    const tenantRoutes = (byTenant[r.tenant] ??= {});
    tenantRoutes[r.route] = (tenantRoutes[r.route] ?? 0) + 1;
    if (!r.code) continue;
    errorsByCode[r.code] = (errorsByCode[r.code] ?? 0) + 1;
    if (EXPECTED_CODES.has(r.code)) expected++;
    else unexpected++;
  }
  const routes = Object.fromEntries(
    Object.entries(byRoute)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([route, rs]) => {
        const sorted = rs.map((r) => Math.round(r.ms)).sort((a, b) => a - b);
        return [route, { requests: rs.length, errors: rs.filter((r) => r.code).length, p50: nearestRank(sorted, 0.5), p95: nearestRank(sorted, 0.95), p99: nearestRank(sorted, 0.99) }];
      }),
  );
  const errorRate = results.length ? unexpected / results.length : 0;
  return {
    target: options.url,
    startedAt: new Date(Date.now() - elapsedMs).toISOString(),
    durationSeconds: Math.round(elapsedMs / 100) / 10,
    requests: results.length,
    throughputPerSecond: Math.round((results.length / (elapsedMs / 1000)) * 10) / 10,
    routes,
    byTenant,
    errorsByCode,
    expectedRefusals: expected,
    unexpectedErrors: unexpected,
    errorRate,
    errorThreshold: options.errorThreshold,
    passed: errorRate <= options.errorThreshold,
  };
}

function markdown(report) {
  const lines = [
    `# Load report (${report.startedAt})`,
    "",
    `Target ${report.target}: ${report.requests} requests in ${report.durationSeconds} s (${report.throughputPerSecond}/s).`,
    `Unexpected errors ${report.unexpectedErrors} (${(report.errorRate * 100).toFixed(2)} %, threshold ${(report.errorThreshold * 100).toFixed(2)} %): ${report.passed ? "passed" : "FAILED"}; expected refusals (429, features off) ${report.expectedRefusals}.`,
    "",
    "| route | requests | errors | p50 ms | p95 ms | p99 ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...Object.entries(report.routes).map(([route, r]) => `| ${route} | ${r.requests} | ${r.errors} | ${r.p50} | ${r.p95} | ${r.p99} |`),
    "",
    "| error code | count |",
    "| --- | ---: |",
    ...Object.entries(report.errorsByCode).map(([code, n]) => `| ${code} | ${n} |`),
    "",
    "Latencies are the client's (to the end of the body); /v1/usage reports the gateway's (docs/observability.md).",
  ];
  return `${lines.join("\n")}\n`;
}

export async function runLoad(options) {
  if (!isLoopback(options.url) && !options.allowRemote) {
    throw new Error(`refusing to load ${options.url}: not a loopback address (pass --allow-remote to load a remote platform)`);
  }
  const rand = mulberry32(options.seed);
  const results = [];
  const started = performance.now();
  const deadline = started + options.durationMs;
  let issued = 0;
  const worker = async () => {
    while (issued < options.maxRequests && performance.now() < deadline) {
      const n = issued++;
      const tenant = options.tenants[n % options.tenants.length];
      const [route, path, init] = requestFor(pickKind(rand), tenant, rand, n);
      results.push(await send(options, tenant, route, path, init));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const report = summarize(results, performance.now() - started, options);
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, "load-report.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.out, "load-report.md"), markdown(report));
  return report;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const options = parseOptions(process.argv.slice(2));
    const report = await runLoad(options);
    process.stdout.write(markdown(report));
    console.log(`report: ${join(options.out, "load-report.json")}`);
    process.exit(report.passed ? 0 : 1);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
}
