// Boots the same mesh `npm run dev` starts (from the same wrangler.jsonc files) once for all integration tests.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
// @ts-expect-error plain ESM script without types
import { startMesh } from "../scripts/mesh.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    gatewayUrl: string;
    /** Everything the mesh printed (its JSON log lines among it), appended as it runs. */
    meshLogPath: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export default async function setup(project: TestProject) {
  const persistTo = mkdtempSync(join(tmpdir(), "mesh-test-"));
  const meshLogPath = join(persistTo, "mesh.log");
  const mesh = await startMesh({ port: await freePort(), persistTo, timeoutMs: 120_000, logFile: meshLogPath });
  project.provide("gatewayUrl", mesh.url);
  project.provide("meshLogPath", meshLogPath);
  return async () => {
    await mesh.stop();
    rmSync(persistTo, { recursive: true, force: true });
  };
}
