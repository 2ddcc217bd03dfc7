// kv_get's isolation: whatever name a caller (or a model) sends, only the caller's own `${tenantId}:config:` keys are read.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@platform/shared";
import { executeTool } from "./executor.ts";
import { configKey, tenantConfigReader } from "./tenant-config.ts";
import { context, executorDeps } from "./testing.ts";

beforeEach(() => void vi.spyOn(console, "log").mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

function fakeKv() {
  const store = new Map([
    ["t1:config:support_email", "help@t1.example"],
    ["t2:config:api_secret", "t2-secret"],
  ]);
  const reads: string[] = [];
  return { reads, get: async (key: string) => (reads.push(key), store.get(key) ?? null) };
}

describe("tenant configuration reads", () => {
  it("prefixes every name with the caller's tenant id", async () => {
    const kv = fakeKv();
    expect(await tenantConfigReader(kv, "t1").get("support_email")).toBe("help@t1.example");
    expect(kv.reads).toEqual(["t1:config:support_email"]);
  });

  it.each(["t2:config:api_secret", "../t2/api_secret", "a/b", ":x", "", "x".repeat(129), "name with space", "t2:config"])("refuses the name %j", (name) => {
    expect(() => configKey("t1", name)).toThrow(AppError);
  });

  it("cannot read another tenant's value through kv_get whatever the name contains", async () => {
    const kv = fakeKv();
    const deps = executorDeps({ kv });
    for (const name of ["t2:config:api_secret", "api_secret", "../t2:config:api_secret"]) {
      const out = await executeTool(deps, context(), { tool: "kv_get", args: { name } }).catch((e: unknown) => AppError.from(e));
      if (out instanceof AppError) expect(out.status).toBe(400);
      else expect(out.result).toEqual({ name, found: false, value: null });
    }
    expect(kv.reads.every((key) => key.startsWith("t1:config:"))).toBe(true);
    expect(kv.reads).toEqual(["t1:config:api_secret"]);
  });

  it("reads the caller's own value", async () => {
    const out = await executeTool(executorDeps({ kv: fakeKv() }), context(), { tool: "kv_get", args: { name: "support_email" } });
    expect(out.result).toEqual({ name: "support_email", found: true, value: "help@t1.example" });
  });
});
