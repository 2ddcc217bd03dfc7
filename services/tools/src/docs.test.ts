// docs/tools.md's tool reference is the registry's: this fails when a tool changes without `npm run docs -w @platform/tools`.
import { describe, expect, it } from "vitest";
import doc from "../../../docs/tools.md?raw";
import { renderToolReference, replaceSection } from "./docs.ts";
import { TOOLS } from "./tools/index.ts";

describe("docs/tools.md", () => {
  it("documents every tool's schema exactly as the registry exports it", () => {
    expect(replaceSection(doc, renderToolReference(TOOLS)), "run `npm run docs -w @platform/tools`").toBe(doc);
  });
});
