// Generates (or with --check, verifies) each service's Env types with `wrangler types`.
// Callers get typed RPC stubs because their callees' configs are passed along with theirs.
import { configPath, runWrangler, SERVICE_ORDER } from "./mesh.mjs";

const check = process.argv.includes("--check");
const envInterface = (service) => service.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join("") + "Env";
const CALLEES = { gateway: ["chat", "search", "ingest", "tools", "tts"], chat: ["search", "tools"], tools: ["search", "ingest"] };

let failed = false;
for (const service of SERVICE_ORDER) {
  const configs = [service, ...(CALLEES[service] ?? [])].flatMap((s) => ["-c", configPath(s)]);
  const args = ["types", `services/${service}/worker-configuration.d.ts`, "--env-interface", envInterface(service), "--include-runtime=false", ...configs];
  if (check) args.push("--check");
  const child = runWrangler(args);
  let output = "";
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  const code = await new Promise((r) => child.on("exit", r));
  if (code !== 0) {
    failed = true;
    console.error(`${service}: ${check ? "Env types are out of date; run `npm run types`" : "wrangler types failed"}\n${output}`);
  } else {
    console.log(`${service}: Env types ${check ? "up to date" : "written"}`);
  }
}
process.exit(failed ? 1 : 0);
