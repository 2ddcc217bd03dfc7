// Response cache keys: per tenant, and only equal for the same model, messages and max_tokens.
import { describe, expect, it } from "vitest";
import { cacheKey } from "./cache.ts";

const messages = [{ role: "user" as const, content: "hello" }];

describe("cacheKey", () => {
  it("starts with the tenant and never matches another tenant's key", async () => {
    const demo = await cacheKey("demo", { model: "m", messages });
    const acme = await cacheKey("acme", { model: "m", messages });
    expect(demo).toMatch(/^demo:chat:[0-9a-f]{64}$/);
    expect(acme.startsWith("acme:chat:")).toBe(true);
    expect(demo.split(":")[2]).toBe(acme.split(":")[2]);
    expect(demo).not.toBe(acme);
  });

  it("differs by model, messages and max_tokens", async () => {
    const base = await cacheKey("demo", { model: "m", messages });
    expect(await cacheKey("demo", { model: "m", messages })).toBe(base);
    expect(await cacheKey("demo", { model: "n", messages })).not.toBe(base);
    expect(await cacheKey("demo", { model: "m", messages: [{ role: "user", content: "hello!" }] })).not.toBe(base);
    expect(await cacheKey("demo", { model: "m", messages: [{ role: "system", content: "hello" }] })).not.toBe(base);
    expect(await cacheKey("demo", { model: "m", messages, max_tokens: 10 })).not.toBe(base);
  });
});
