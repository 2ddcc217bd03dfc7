// The vars a deploy fills from the environment (scripts/deploy-service.mjs DEPLOY_VARS): the services that call
// models declare CLOUDFLARE_ACCOUNT_ID empty in staging and production; a real deploy refuses without it. And the
// index dimension embeddings are checked against (shared/src/ai/embed.ts) is the one the configs declare.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INDEX_DIMENSIONS } from "../shared/src/ai/embed.ts";
import { declaredVars, deployVarArgs, wranglerDeployArgs } from "./deploy-service.mjs";
import { meshPlan } from "./tenants/dedicated.mjs";

const ACCOUNT = "0123456789abcdef0123456789abcdef";
const placeholder = () => ({ ENVIRONMENT: "staging", CLOUDFLARE_ACCOUNT_ID: "" });

describe("deploy vars", () => {
  it("every service that calls models declares the account id placeholder in staging and production, and only there", () => {
    for (const service of ["chat", "search", "ingest", "tools"]) {
      for (const env of ["staging", "production"]) expect(declaredVars(service, env)).toMatchObject({ CLOUDFLARE_ACCOUNT_ID: "" });
      expect(declaredVars(service, undefined)).not.toHaveProperty("CLOUDFLARE_ACCOUNT_ID");
    }
    expect(declaredVars("gateway", "staging")).not.toHaveProperty("CLOUDFLARE_ACCOUNT_ID");
  });

  it("a deploy passes the account id from the environment as a var", () => {
    expect(wranglerDeployArgs("chat", ["--env", "staging"], { CLOUDFLARE_ACCOUNT_ID: ACCOUNT }, placeholder)).toEqual(["deploy", "-e", "staging", "-c", expect.stringMatching(/services\/chat\/wrangler\.jsonc$/), "--var", `CLOUDFLARE_ACCOUNT_ID:${ACCOUNT}`]);
  });

  it("a deploy refuses without the account id or with a malformed one; a dry run bundles with the placeholder", () => {
    expect(wranglerDeployArgs("chat", ["--env", "production"], {}, placeholder)).toEqual(new Error("refusing to deploy without CLOUDFLARE_ACCOUNT_ID: set it to the Cloudflare account id (32 hex digits): AI Gateway's provider endpoint needs it (docs/providers.md)"));
    expect(deployVarArgs(placeholder(), { CLOUDFLARE_ACCOUNT_ID: "my-account" }, true)).toEqual(new Error("CLOUDFLARE_ACCOUNT_ID is set but is not the Cloudflare account id (32 hex digits): AI Gateway's provider endpoint needs it (docs/providers.md)"));
    expect(deployVarArgs(placeholder(), {}, true)).toEqual([]);
    // A service that declares no placeholder (the gateway) needs nothing.
    expect(deployVarArgs({ ENVIRONMENT: "staging" }, {}, false)).toEqual([]);
  });

  it("a dedicated tenant's mesh gets its own account id in the placeholder (deploy and drift alike)", () => {
    const vars = (accountId?: string) => Object.fromEntries(meshPlan("globex", "staging", accountId).map((p: { service: string; config: { vars?: Record<string, string> } }) => [p.service, p.config.vars?.CLOUDFLARE_ACCOUNT_ID]));
    expect(vars(ACCOUNT)).toEqual({ gateway: undefined, tools: ACCOUNT, search: ACCOUNT, ingest: ACCOUNT, chat: ACCOUNT, tts: undefined });
    expect(vars()).toMatchObject({ chat: "", search: "", ingest: "", tools: "" });
  });
});

it("the chunks index search and ingest declare (the twin's props, which provisioning copies) has the dimension embeddings are checked against", () => {
  for (const service of ["search", "ingest"]) {
    const config = readFileSync(join(import.meta.dirname, "..", "services", service, "wrangler.jsonc"), "utf8");
    expect(config).toContain(`"index": "platform-chunks", "dimensions": ${INDEX_DIMENSIONS}`);
  }
});
