// `lint` of a package, or of the whole repository when run at the root (one oxlint process is far cheaper than
// one per package): oxlint with the root .oxlintrc.json (bugs, `any`, file sizes, import cycles), then the two
// conventions a linter cannot check: a header comment on every file, and no logging of request bodies or keys.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = process.cwd();
const REPO = fileURLToPath(new URL("..", import.meta.url));
const OXLINT = join(REPO, "node_modules/oxlint/bin/oxlint");
const problems = [];

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith(".d.ts") && !name.endsWith(".generated.ts")) check(path);
  }
}

function check(path) {
  const lines = readFileSync(path, "utf8").split("\n");
  const file = relative(root, path);
  if (!lines[0]?.startsWith("//")) problems.push(`${file}:1 starts without a header comment saying what the file is for`);
  lines.forEach((line, i) => {
    if (/console\.(log|info|warn|error)\([^)]*(request\.body|await request\.(json|text)|prompt|apiKey)/i.test(line)) problems.push(`${file}:${i + 1} may log request content or keys`);
  });
}

const oxlint = spawnSync(process.execPath, [OXLINT, "--format=unix"], { cwd: root, stdio: "inherit" });
const packageDirs = relative(REPO, root) === "" ? ["shared", "tests", ...readdirSync(join(REPO, "services")).map((s) => `services/${s}`)].map((d) => join(REPO, d)) : [root];
for (const dir of packageDirs) walk(existsSync(join(dir, "src")) ? join(dir, "src") : dir);
if (problems.length) console.error(problems.join("\n"));
if (problems.length || oxlint.status !== 0) process.exit(1);
console.log(`lint: ${relative(REPO, root) || "repository"} clean`);
