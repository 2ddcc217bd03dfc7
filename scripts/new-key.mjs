// `npm run key -- <tenantId> --scopes chat,search [--id <keyId>]`: creates a development key, prints it once, stores
// only its SHA-256 in tenants/<id>/dev-keys.json (accepted only by development builds). Keys of deployed tenants are
// created at runtime through the admin API (`npm run tenants -- keys <id> create`, docs/operations.md).
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as v from "valibot";
import { DevKeySchema, SCOPES } from "../shared/src/tenant.ts";
import { ROOT } from "./mesh.mjs";

const TENANTS_DIR = process.env.TENANTS_DIR ?? join(ROOT, "tenants");

function fail(message) {
  console.error(`key: ${message}\nusage: npm run key -- <tenantId> --scopes ${SCOPES.slice(0, 2).join(",")} [--id <keyId>]`);
  process.exit(1);
}

let args;
try {
  args = parseArgs({ allowPositionals: true, options: { scopes: { type: "string" }, id: { type: "string" } } });
} catch (error) {
  fail(error.message);
}
const [tenantId, ...extra] = args.positionals;
if (!tenantId || extra.length) fail("give exactly one tenant id");
const known = existsSync(TENANTS_DIR) ? readdirSync(TENANTS_DIR).filter((id) => existsSync(join(TENANTS_DIR, id, "tenant.json"))) : [];
if (!known.includes(tenantId)) fail(`unknown tenant "${tenantId}" (known: ${known.join(", ") || "none"} in ${TENANTS_DIR})`);
if (!args.values.scopes) fail(`--scopes is required, a comma-separated list of: ${SCOPES.join(", ")}`);
const scopes = [...new Set(args.values.scopes.split(",").map((s) => s.trim()).filter(Boolean))];
const badScopes = scopes.filter((s) => !SCOPES.includes(s));
if (badScopes.length || !scopes.length) fail(`unknown scope ${badScopes.map((s) => `"${s}"`).join(", ") || "(none given)"}; valid scopes: ${SCOPES.join(", ")}`);

const file = join(TENANTS_DIR, tenantId, "dev-keys.json");
const keys = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : [];
const id = args.values.id ?? `dev-${randomBytes(4).toString("hex")}`;
if (keys.some((k) => k.id === id)) fail(`tenant "${tenantId}" already has a key with id "${id}"`);

const key = `sk-dev-${randomBytes(32).toString("base64url")}`;
const entry = { id, sha256: createHash("sha256").update(key).digest("hex"), scopes };
const checked = v.safeParse(DevKeySchema, entry);
if (!checked.success) fail(`invalid key: ${JSON.stringify(v.flatten(checked.issues).nested)}`);
writeFileSync(file, `${JSON.stringify([...keys, entry], null, 2)}\n`);

console.error(`New development key "${id}" for tenant "${tenantId}", scopes ${scopes.join(",")}:\n`);
console.log(key);
console.error(`
This key is shown once and is NOT stored: ${file} keeps only its SHA-256.
Only development builds accept it (at the next \`npm run dev\`). For a deployed tenant, create keys at runtime:
npm run tenants -- keys ${tenantId} create (docs/operations.md).`);
