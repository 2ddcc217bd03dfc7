// Lints a package's sources for the project's own conventions: a header comment on every file,
// entry files that only wire (at most 150 lines), no `any`, and no logging of request bodies.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = process.cwd();
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
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  const file = relative(root, path);
  if (!lines[0]?.startsWith("//")) problems.push(`${file}:1 starts without a header comment saying what the file is for`);
  if (/src\/index\.ts$/.test(path) && lines.length > 150) problems.push(`${file} has ${lines.length} lines: entry files only wire; move logic into modules`);
  lines.forEach((line, i) => {
    if (/:\s*any\b|as any\b|<any>/.test(line)) problems.push(`${file}:${i + 1} uses \`any\``);
    if (/console\.(log|info|warn|error)\([^)]*(request\.body|await request\.(json|text)|prompt|apiKey)/i.test(line)) problems.push(`${file}:${i + 1} may log request content or keys`);
  });
}

walk(existsSync(join(root, "src")) ? join(root, "src") : root);
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`lint: ${relative(join(root, "../.."), root) || "."} clean`);
