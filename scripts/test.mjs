// `npm test`: tenants compiled and validated, Env types checked for drift, typecheck and lint of every
// package, then the unit and integration tests. Stops at the first failing step.
import { execFileSync } from "node:child_process";
import { ROOT } from "./mesh.mjs";

const steps = [
  ["tenants", ["scripts/tenants.mjs"]],
  ["env types", ["scripts/types.mjs", "--check"]],
  ["typecheck + lint", ["node_modules/turbo/bin/turbo", "run", "typecheck", "lint", "--output-logs=errors-only"]],
  ["tests", ["node_modules/vitest/vitest.mjs", "run", ...process.argv.slice(2)]],
];

for (const [name, args] of steps) {
  console.log(`\n▶ ${name}`);
  try {
    execFileSync(process.execPath, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" } });
  } catch {
    console.error(`\n✖ ${name} failed`);
    process.exit(1);
  }
}
