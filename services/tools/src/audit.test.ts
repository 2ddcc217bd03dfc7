// The audit page query: always scoped to the tenant, with the filters and cursor as bound parameters.
import { describe, expect, it } from "vitest";
import { pageStatement } from "./audit.ts";

describe("pageStatement", () => {
  it("filters on tenant_id first and pages newest first", () => {
    const { sql, params, limit } = pageStatement("acme", {});
    expect(sql).toMatch(/WHERE tenant_id = \? ORDER BY seq DESC LIMIT \?/);
    expect(params).toEqual(["acme", 21]);
    expect(limit).toBe(20);
  });

  it("adds tool, outcome and cursor as parameters, never as SQL text", () => {
    const { sql, params } = pageStatement("demo", { tool: "summarize", outcome: "denied", cursor: "42", limit: 5 });
    expect(sql).toContain("tenant_id = ? AND tool = ? AND outcome = ? AND seq < ?");
    expect(params).toEqual(["demo", "summarize", "denied", 42, 6]);
    expect(sql).not.toContain("summarize");
  });

  it("caps the page size at 100", () => {
    expect(pageStatement("demo", { limit: 1000 }).limit).toBe(100);
  });
});
