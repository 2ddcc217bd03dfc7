// `npm run key -- <tenantId> --scopes chat,search [--id <keyId>]`: creates an API key, prints it once, stores only its SHA-256.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import * as v from "valibot";
import { ApiKeySchema, SCOPES, TenantConfigSchema } from "../shared/src/tenant.ts";
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

const file = join(TENANTS_DIR, tenantId, "tenant.json");
const tenant = JSON.parse(readFileSync(file, "utf8"));
const id = args.values.id ?? `live-${randomBytes(4).toString("hex")}`;
if (tenant.keys.some((k) => k.id === id)) fail(`tenant "${tenantId}" already has a key with id "${id}"`);

const key = `sk-live-${randomBytes(32).toString("base64url")}`;
const entry = { id, sha256: createHash("sha256").update(key).digest("hex"), scopes };
const checked = v.safeParse(ApiKeySchema, entry);
if (!checked.success) fail(`invalid key: ${JSON.stringify(v.flatten(checked.issues).nested)}`);
const updated = { ...tenant, keys: [...tenant.keys, entry] };
const valid = v.safeParse(TenantConfigSchema, updated);
if (!valid.success) fail(`${file} would not validate: ${JSON.stringify(v.flatten(valid.issues))}`);
writeFileSync(file, `${JSON.stringify(updated, null, 2)}\n`);

console.error(`New key "${id}" for tenant "${tenantId}", scopes ${scopes.join(",")}:\n`);
console.log(key);
console.error(`
This key is shown once and is NOT stored: ${file} keeps only its SHA-256.
Copy it now into the tenant's secret store; if it is lost, create a new key and remove this one.
The gateway picks it up from the compiled tenants at the next \`npm run dev\` or \`npm run deploy\`.`);
