// Builds the console with Vite into console/dist (the gateway's static assets) unless that build is newer than every
// source file, so `npm run dev`, the test mesh and deploys all serve a current console at little cost.
// `node services/gateway/console/build.mjs [--force]` builds it by hand.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const DIR = resolve(fileURLToPath(import.meta.url), "..");
const VITE = resolve(DIR, "../../../node_modules/vite/bin/vite.js");
const BUILT = join(DIR, "dist", "index.html");

function newestSource(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestSource(join(path, name))));
}

export function buildConsole({ force = false } = {}) {
  const sources = ["index.html", "vite.config.ts", "build.mjs", "public", "src"].map((p) => join(DIR, p));
  if (!force && existsSync(BUILT) && statSync(BUILT).mtimeMs >= Math.max(...sources.map(newestSource))) return false;
  execFileSync(process.execPath, [VITE, "build", DIR, "--logLevel", "warn"], { stdio: ["ignore", "inherit", "inherit"] });
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) buildConsole({ force: process.argv.includes("--force") });
