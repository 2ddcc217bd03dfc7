// `npm run test:staging`: the integration suite against a deployed gateway (GATEWAY_URL), with staging keys from
// STAGING_KEY_<NAME> variables (docs/testing.md). Without GATEWAY_URL it says so in one line and succeeds.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./mesh.mjs";

if (!process.env.GATEWAY_URL) {
  console.log("test:staging: GATEWAY_URL is not set; skipping");
  process.exit(0);
}

// The dev keys the suite uses by name (sk-dev-<name>): the dev tenants' and every key of tests/tenants/<id>/dev-keys.json.
const testKeys = readdirSync(join(ROOT, "tests", "tenants")).sort().flatMap((id) => JSON.parse(readFileSync(join(ROOT, "tests", "tenants", id, "dev-keys.json"), "utf8")).map((k) => k.id.replace(/^dev-/, "")));
const names = ["demo", "acme", "acme-search", "tiny", ...testKeys];
const unset = names.map((name) => `STAGING_KEY_${name.toUpperCase().replaceAll("-", "_")}`).filter((v) => !process.env[v]);
if (unset.length) console.warn(`test:staging: unset, so the tests that use them will answer 401: ${unset.join(", ")}`);

const vitest = join(ROOT, "node_modules", "vitest", "vitest.mjs");
const run = spawnSync(process.execPath, [vitest, "run", "--project", "integration", ...process.argv.slice(2)], { cwd: ROOT, stdio: "inherit" });
process.exit(run.status ?? 1);
