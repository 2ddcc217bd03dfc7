// `npm test`: tenants compiled and validated, Env types checked for drift, every import declared by its package,
// typecheck of every package, one lint of the whole repository, then the unit and integration tests. Stops at the
// first failing step.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./mesh.mjs";

const reportDir = mkdtempSync(join(tmpdir(), "vitest-report-"));
const report = join(reportDir, "report.json");

/** @type {[string, string[]][]} */
const steps = [
  ["tenants", ["scripts/tenants.mjs"]],
  ["env types", ["scripts/types.mjs", "--check"]],
  ["declared dependencies", ["scripts/check-deps.mjs"]],
  ["typecheck", ["node_modules/turbo/bin/turbo", "run", "typecheck", "--output-logs=errors-only"]],
  ["lint", ["scripts/lint.mjs"]],
  ["tests", ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...process.argv.slice(2)]],
];

for (const [name, args] of steps) {
  console.log(`\n▶ ${name}`);
  try {
    execFileSync(process.execPath, args, { cwd: ROOT, stdio: "inherit", env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" } });
  } catch {
    console.error(`\n✖ ${name} failed`);
    summarise();
    process.exit(1);
  }
}
summarise();

// One plain closing line that any CI can read.
function summarise() {
  try {
    const { numPassedTests, numFailedTests } = JSON.parse(readFileSync(report, "utf8"));
    console.log(`\n${numPassedTests} passed, ${numFailedTests} failed`);
  } catch {
    // the test step did not run
  }
  rmSync(reportDir, { recursive: true, force: true });
}
