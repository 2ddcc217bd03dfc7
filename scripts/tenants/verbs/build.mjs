// `tenants build`: validate the tenants and compile the gateway's development fixtures (scripts/tenants.mjs).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../../mesh.mjs";

export const usage = "build";
export const options = {};

export function run() {
  return spawnSync(process.execPath, [join(ROOT, "scripts", "tenants.mjs")], { cwd: ROOT, stdio: "inherit" }).status ?? 1;
}
