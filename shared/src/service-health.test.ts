// Unit tests for service health: probes per binding kind and the verdict over them.
import { describe, expect, it } from "vitest";
import { checkHealth, probes } from "./service-health.ts";

function fakeD1(fail?: string) {
  const statements: string[] = [];
  const db = {
    prepare: (sql: string) => {
      statements.push(sql);
      return { first: async () => (fail ? Promise.reject(new Error(fail)) : { one: 1 }) };
    },
  };
  return { db, statements };
}

describe("checkHealth", () => {
  it("is ok with the version when every probe resolves", async () => {
    const health = await checkHealth("search", "1.2.3", { a: async () => 1, b: async () => undefined });
    expect(health).toMatchObject({ service: "search", ok: true, version: "1.2.3", checks: { a: { ok: true }, b: { ok: true } } });
  });

  it("is not ok, naming the failing check and why, when one probe rejects", async () => {
    const health = await checkHealth("tools", "1.0.0", { good: async () => 1, bad: async () => Promise.reject(new Error("no such table: audit_log")) });
    expect(health.ok).toBe(false);
    expect(health.checks.good!.ok).toBe(true);
    expect(health.checks.bad).toMatchObject({ ok: false, error: "no such table: audit_log" });
  });

  it("fails a probe that does not answer within the bound", async () => {
    const health = await checkHealth("chat", "1.0.0", { stuck: () => new Promise(() => {}) }, 5);
    expect(health.checks.stuck).toMatchObject({ ok: false, error: "no answer within 5 ms" });
  });

  it("cuts a long error message short", async () => {
    const health = await checkHealth("chat", "1.0.0", { loud: async () => Promise.reject(new Error("x".repeat(5000))) });
    expect(health.checks.loud!.error).toHaveLength(200);
  });
});

describe("probes", () => {
  it("reads every table the service needs in one D1 statement", async () => {
    const { db, statements } = fakeD1();
    await probes.d1(db, ["chunks", "tenant_index"])();
    expect(statements).toEqual(["SELECT (SELECT 1 FROM chunks LIMIT 1), (SELECT 1 FROM tenant_index LIMIT 1)"]);
  });

  it("fails the D1 probe when the database does", async () => {
    const { db } = fakeD1("no such table: chunks");
    await expect(probes.d1(db, ["chunks"])()).rejects.toThrow("no such table: chunks");
  });

  it("fails on a missing binding of any kind", async () => {
    await expect(probes.d1(undefined, ["chunks"])()).rejects.toThrow("D1 binding is missing");
    await expect(probes.kv(undefined, "k")()).rejects.toThrow("KV binding is missing");
    await expect(probes.r2(undefined, "k")()).rejects.toThrow("R2 binding is missing");
    await expect(probes.vectorize(undefined)()).rejects.toThrow("Vectorize binding is missing");
    await expect(probes.binding(undefined, "run")()).rejects.toThrow("run binding is missing");
  });

  it("accepts a present binding with the method and rejects one without it", async () => {
    await expect(probes.binding({ run: () => 1 }, "run")()).resolves.toBeUndefined();
    await expect(probes.binding({}, "run")()).rejects.toThrow("binding has no run()");
  });
});
