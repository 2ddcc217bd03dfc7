// `npm run dev`: compiles the tenants and starts the whole mesh (gateway, five services, local twins) in one process.
// State persists in .mesh-state/ between runs (MESH_STATE_DIR elsewhere). PORT overrides the default 8787.
import { startMesh } from "./mesh.mjs";
import { loadDevKeys } from "./tenants.mjs";
import { execFileSync } from "node:child_process";

execFileSync(process.execPath, ["scripts/tenants.mjs"], { stdio: "inherit" });
const port = Number(process.env.PORT ?? 8787);
const persistTo = process.env.MESH_STATE_DIR;
const mesh = await startMesh({ port, stdio: ["ignore", "inherit", "inherit"], timeoutMs: 120_000, watch: true, ...(persistTo && { persistTo }) });
// Dev keys are not secret: by convention the key is "sk-" + its id (tenants/*/dev-keys.json store only the hash).
const devKeys = loadDevKeys().map((k) => ({ tenant: k.tenantId, key: `sk-${k.id}`, scopes: k.scopes }));

console.log(`
  Mesh ready at ${mesh.url}
  Console: ${mesh.url}/console (sign in with a key below)
  Dev keys (accepted only with ENVIRONMENT=development):
${devKeys.map((k) => `    ${k.tenant.padEnd(8)} ${k.key.padEnd(20)} scopes: ${k.scopes.join(",")}`).join("\n")}
  Try: curl -s ${mesh.url}/health -H 'authorization: Bearer sk-dev-demo'
`);

for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => void mesh.stop().then(() => process.exit(0)));
await new Promise((resolve) => mesh.child.on("exit", resolve));
