// Rewrites the generated tool reference in docs/tools.md from the registry (Node strips the TypeScript types).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderToolReference, replaceSection } from "../src/docs.ts";
import { TOOLS } from "../src/tools/index.ts";

const path = fileURLToPath(new URL("../../../docs/tools.md", import.meta.url));
const before = readFileSync(path, "utf8");
const after = replaceSection(before, renderToolReference(TOOLS));
if (after !== before) writeFileSync(path, after);
console.log(after === before ? "docs/tools.md: tool reference up to date" : "docs/tools.md: tool reference rewritten");
