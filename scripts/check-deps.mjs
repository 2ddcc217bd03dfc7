// Fails when a package imports a library its own package.json does not declare (hoisting from the root hides
// that), or declares one at a version other than the exact one the lock installs.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseSync } from "oxc-parser";

const SOURCE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const SKIPPED_DIRS = new Set(["node_modules", "dist", "coverage"]);
const DEP_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"];
const EXACT = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`; undefined for relative paths and runtime builtins. */
export function packageOf(specifier) {
  if (/^(\.|\/|#|node:|cloudflare:|workerd:)/.test(specifier) || builtinModules.includes(specifier)) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Every module specifier a file names: static imports and re-exports (type-only too) and literal dynamic imports. */
export function specifiersOf(path, text) {
  const { module, errors } = parseSync(path, text);
  if (errors.length) throw new Error(`${path}: ${errors[0].message}`);
  const literal = ({ start, end }) => /^(["'`])([^"'`]*)\1$/.exec(text.slice(start, end))?.[2];
  return [
    ...module.staticImports.map((i) => i.moduleRequest.value),
    ...module.staticExports.flatMap((e) => e.entries.map((entry) => entry.moduleRequest?.value)),
    ...module.dynamicImports.map((i) => literal(i.moduleRequest)),
  ].filter((s) => s !== undefined);
}

function sourceFiles(dir, { recurse = true, skip = [] } = {}) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name.startsWith(".") || SKIPPED_DIRS.has(name) || skip.includes(path)) continue;
    if (statSync(path).isDirectory()) {
      if (recurse) files.push(...sourceFiles(path, { skip }));
    } else if (SOURCE.test(name)) files.push(path);
  }
  return files;
}

const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

/** Workspace directories named by the root package.json (`dir` or `dir/*` patterns). */
function workspaces(root, patterns) {
  return patterns.flatMap((pattern) => {
    if (!pattern.endsWith("/*")) return [join(root, pattern)];
    const parent = join(root, pattern.slice(0, -2));
    return readdirSync(parent).sort().map((name) => join(parent, name)).filter((dir) => existsSync(join(dir, "package.json")));
  });
}

/** The problems found in the repository at `root`, one line each; empty when every import is declared. */
export function checkDeps(root) {
  const rootManifest = readJson(join(root, "package.json"));
  const lock = existsSync(join(root, "package-lock.json")) ? readJson(join(root, "package-lock.json")) : { packages: {} };
  const dirs = workspaces(root, rootManifest.workspaces ?? []);
  const workspaceNames = new Set(dirs.map((dir) => readJson(join(dir, "package.json")).name));
  const packages = [
    // The root package: its scripts and top-level config files (workspaces are checked on their own).
    { dir: root, files: [...sourceFiles(root, { recurse: false }), ...(existsSync(join(root, "scripts")) ? sourceFiles(join(root, "scripts")) : [])] },
    ...dirs.map((dir) => ({ dir, files: sourceFiles(dir) })),
  ];
  const problems = [];
  for (const { dir, files } of packages) {
    const manifestPath = relative(root, join(dir, "package.json")) || "package.json";
    const manifest = readJson(join(dir, "package.json"));
    const declared = new Map(DEP_FIELDS.flatMap((field) => Object.entries(manifest[field] ?? {})));
    for (const [name, version] of declared) {
      if (workspaceNames.has(name)) continue;
      const locked = lock.packages[`node_modules/${name}`]?.version;
      if (!EXACT.test(version)) problems.push(`${manifestPath}: ${name} is declared as "${version}", not an exact version`);
      else if (locked !== undefined && locked !== version) problems.push(`${manifestPath}: ${name} is declared as ${version} but the lock installs ${locked}`);
    }
    const needed = new Map();
    for (const file of files) {
      for (const specifier of specifiersOf(file, readFileSync(file, "utf8"))) {
        const name = packageOf(specifier);
        if (name !== undefined && !needed.has(name)) needed.set(name, relative(root, file));
      }
    }
    // Type packages named in tsconfig.json `types` are imported by the compiler on the package's behalf.
    const tsconfig = join(dir, "tsconfig.json");
    if (existsSync(tsconfig)) {
      for (const type of readJson(tsconfig).compilerOptions?.types ?? []) {
        const name = type.startsWith("@") ? type : `@types/${type}`;
        if (!needed.has(name)) needed.set(name, relative(root, tsconfig));
      }
    }
    // The root's `workspaces` field declares the workspace packages for the root's own scripts.
    const isDeclared = (name) => declared.has(name) || name === manifest.name || (dir === root && workspaceNames.has(name));
    for (const [name, file] of needed) {
      if (!isDeclared(name)) problems.push(`${file} imports ${name}, which ${manifestPath} does not declare`);
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(fileURLToPath(import.meta.url), "../..");
  const problems = checkDeps(root);
  if (problems.length) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
  console.log("check-deps: every import is declared, at the locked version");
}
