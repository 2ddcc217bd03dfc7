// kv_get: reads one of the calling tenant's configuration values (TENANT_KV `${tenantId}:config:<name>`). The name's
// charset leaves no way to spell another tenant's key, and the reader always prefixes the caller's tenant id.
import * as v from "valibot";
import { CONFIG_NAME_PATTERN } from "../tenant-config.ts";
import { defineTool } from "../tool.ts";

export const kvGet = defineTool({
  name: "kv_get",
  description: "Read one of this tenant's configuration values by name. Returns { name, found, value }.",
  input: v.strictObject({
    name: v.pipe(
      v.string(),
      v.regex(CONFIG_NAME_PATTERN, "name is 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit"),
      v.description("The configuration value's name, e.g. support_email."),
    ),
  }),
  scopes: ["tools"],
  limits: { maxInputBytes: 1024, maxOutputBytes: 8 * 1024, timeoutMs: 5_000 },
  async handler(_ctx, args, deps) {
    const value = await deps.config.get(args.name);
    return { name: args.name, found: value !== null, value };
  },
});
