// Boots the same mesh `npm run dev` starts (from the same wrangler.jsonc files) once for all integration tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
// @ts-expect-error plain ESM script without types
import { freePort, startMesh } from "../scripts/mesh.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    gatewayUrl: string;
    /** Everything the mesh printed (its JSON log lines among it), appended as it runs. */
    meshLogPath: string;
  }
}


export default async function setup(project: TestProject) {
  // Staging: run the suite against a deployed gateway instead of a local mesh.
  if (process.env.GATEWAY_URL) {
    project.provide("gatewayUrl", process.env.GATEWAY_URL.replace(/\/$/, ""));
    project.provide("meshLogPath", "");
    return;
  }
  const persistTo = mkdtempSync(join(tmpdir(), "mesh-test-"));
  const meshLogPath = join(persistTo, "mesh.log");
  // JOB_CHECK_MS: a queued ingest nobody reads is settled 10 s after it is charged, not a minute (ingest-charge test).
  const mesh = await startMesh({ port: await freePort(), persistTo, timeoutMs: 120_000, logFile: meshLogPath, vars: { JOB_CHECK_MS: "10000" } });
  project.provide("gatewayUrl", mesh.url);
  project.provide("meshLogPath", meshLogPath);
  return async () => {
    await mesh.stop();
    rmSync(persistTo, { recursive: true, force: true });
  };
}
