// The gateway's module graph: no import cycle (type-only imports count), and only the entry imports route modules,
// so the request pipeline (request, guards, auth, cors, body, limits, relay, openai-errors) never depends on a route.
import { describe, expect, it } from "vitest";

declare global {
  interface ImportMeta {
    glob(pattern: string, options: { query: "?raw"; import: "default"; eager: true }): Record<string, string>;
  }
}

const SOURCES = import.meta.glob("./**/*.ts", { query: "?raw", import: "default", eager: true });
// `import ... from`, `import type ... from`, `export ... from`, bare `import "..."` and `import("...")`.
const SPECIFIER = /\b(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(?\s*["']([^"']+)["']/g;

function graph(): Map<string, string[]> {
  const modules = new Map<string, string[]>();
  for (const [path, text] of Object.entries(SOURCES)) {
    if (path.endsWith(".test.ts") || path.endsWith(".d.ts")) continue;
    const local = [...text.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? "").filter((s) => s.startsWith("."));
    modules.set(path, local.map((specifier) => resolve(path, specifier)));
  }
  return modules;
}

function resolve(from: string, specifier: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}

/** Every cycle found by a depth-first walk, each as the chain of modules that closes it. */
function cycles(modules: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (path: string, stack: string[]) => {
    const at = stack.indexOf(path);
    if (at >= 0) return void found.push([...stack.slice(at), path]);
    if (done.has(path)) return;
    for (const next of modules.get(path) ?? []) visit(next, [...stack, path]);
    done.add(path);
  };
  for (const path of modules.keys()) visit(path, []);
  return found;
}

describe("gateway imports", () => {
  it("reads every source module and resolves its local imports to files that exist", () => {
    const modules = graph();
    expect(modules.get("./index.ts")).toContain("./request.ts");
    for (const [path, imports] of modules) for (const target of imports) expect(SOURCES, `${path} -> ${target}`).toHaveProperty([target]);
  });

  it("has no import cycle, type-only imports included", () => {
    expect(cycles(graph())).toEqual([]);
  });

  it("finds a cycle when there is one", () => {
    const looped = new Map([["./request.ts", ["./routes/openai.ts"]], ["./routes/openai.ts", ["./request.ts"]]]);
    expect(cycles(looped)).toEqual([["./request.ts", "./routes/openai.ts", "./request.ts"]]);
  });

  it("lets only the entry import route modules", () => {
    const offenders = [...graph()].filter(([path, imports]) => path !== "./index.ts" && !path.startsWith("./routes/") && imports.some((t) => t.startsWith("./routes/")));
    expect(offenders.map(([path]) => path)).toEqual([]);
  });
});
