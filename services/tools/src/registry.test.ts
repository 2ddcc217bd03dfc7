// The registry: every tool has a JSON Schema Workers AI accepts, and the list follows the tenant's allow-list and key scopes.
import { describe, expect, it } from "vitest";
import { permittedTools } from "./permissions.ts";
import { findTool, parametersOf, toolInfo } from "./registry.ts";
import { context } from "./testing.ts";
import { TOOLS } from "./tools/index.ts";

describe("registry", () => {
  it("offers at least the eight platform tools, each named once", () => {
    const names = TOOLS.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(["summarize", "extract_entities", "classify_intent", "tag_document", "chunk_document", "ingest_document", "search_documents", "kv_get"]));
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
  });

  it.each(TOOLS.map((t) => [t.name, t] as const))("exports %s's arguments as a JSON Schema object with properties and required", (_name, tool) => {
    const schema = parametersOf(tool);
    expect(schema).toMatchObject({ type: "object", properties: expect.any(Object), required: expect.any(Array) });
    expect(schema).not.toHaveProperty("$schema");
    expect(tool.description.length).toBeGreaterThan(10);
    expect(tool.scopes).toContain("tools");
    expect(tool.limits.timeoutMs).toBeGreaterThan(0);
  });

  it("gives the text tools exactly one required string, so a model can fill it from a sentence", () => {
    for (const name of ["summarize", "extract_entities", "classify_intent", "tag_document", "chunk_document", "search_documents", "kv_get"]) {
      const schema = parametersOf(findTool(TOOLS, name)!);
      expect(schema.required, name).toHaveLength(1);
    }
  });

  it("lists every tool for a tenant allowing *, and only the allowed ones otherwise", () => {
    expect(permittedTools(context(), TOOLS)).toHaveLength(TOOLS.length);
    const acmeLike = context({ tools: { allowed: ["summarize", "kv_get"] } }, ["chat", "tools"]);
    expect(permittedTools(acmeLike, TOOLS).map((t) => t.name)).toEqual(["summarize", "kv_get"]);
  });

  it("leaves out tools whose scope the key lacks", () => {
    const names = permittedTools(context({}, ["tools"]), TOOLS).map((t) => t.name);
    expect(names).not.toContain("ingest_document");
    expect(names).not.toContain("search_documents");
    expect(names).toContain("summarize");
  });

  it("describes a tool for clients with its scopes and limits", () => {
    expect(toolInfo(findTool(TOOLS, "kv_get")!)).toMatchObject({ name: "kv_get", scopes: ["tools"], limits: { maxInputBytes: 1024 }, parameters: { required: ["name"] } });
  });
});
