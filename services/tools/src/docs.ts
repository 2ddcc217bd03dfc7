// Renders the tool reference section of docs/tools.md from the registry, so the docs cannot drift from the code
// (docs.test.ts compares; `npm run docs -w @platform/tools` rewrites the section).
import { parametersOf } from "./registry.ts";
import type { AnyTool } from "./tool.ts";

export const DOCS_BEGIN = "<!-- tools:begin (generated from services/tools/src/tools by `npm run docs -w @platform/tools`) -->";
export const DOCS_END = "<!-- tools:end -->";

export function renderToolReference(tools: readonly AnyTool[]): string {
  const sections = tools.map((tool) => {
    const { maxInputBytes, maxOutputBytes, timeoutMs } = tool.limits;
    return [
      `### \`${tool.name}\``,
      "",
      tool.description,
      "",
      `Scopes: ${tool.scopes.map((s) => `\`${s}\``).join(", ")}. Limits: input ${kib(maxInputBytes)}, output ${kib(maxOutputBytes)}, timeout ${timeoutMs / 1000} s.`,
      "",
      "```json",
      JSON.stringify(parametersOf(tool), null, 2),
      "```",
    ].join("\n");
  });
  return [DOCS_BEGIN, "", ...sections.flatMap((s) => [s, ""]), DOCS_END].join("\n");
}

/** The document with its generated section replaced by `section`. */
export function replaceSection(doc: string, section: string): string {
  const begin = doc.indexOf("<!-- tools:begin");
  const end = doc.indexOf(DOCS_END);
  if (begin < 0 || end < begin) throw new Error("docs/tools.md has no <!-- tools:begin --> ... <!-- tools:end --> section");
  return doc.slice(0, begin) + section + doc.slice(end + DOCS_END.length);
}

const kib = (bytes: number) => (bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`);
