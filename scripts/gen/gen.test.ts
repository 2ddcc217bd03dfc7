// The generators on a temp copy of the files they edit: snapshots of what they write, dry runs that write nothing,
// second runs that change nothing, and conflicts that are refused rather than overwritten.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { ROOT } from "../mesh.mjs";
import { main } from "./cli.mjs";

const EDITED = ["services/gateway/wrangler.jsonc", "services/gateway/src/services.ts", "shared/src/tenant.ts", "scripts/mesh.mjs", "scripts/types.mjs"];
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "gen-"));
  for (const file of EDITED) cpSync(join(ROOT, file), join(root, file));
  cpSync(join(ROOT, "tenants", "acme", "tenant.json"), join(root, "tenants", "acme", "tenant.json"));
  return () => rmSync(root, { recursive: true, force: true });
});

function gen(...argv: string[]) {
  const lines: string[] = [];
  const code = main([...argv, "--root", root, "--no-types"], { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) });
  return { code, out: lines.join("\n") };
}

/** Every file under the temp root with its content, to compare before and after. */
function tree(dir = root): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, encoding: "utf8" })
      .map((name) => join(dir, name))
      .filter((path) => statSync(path).isFile())
      .map((path) => [relative(root, path), readFileSync(path, "utf8")]),
  );
}

describe("gen service", () => {
  it("writes the Worker and wires it into the gateway, the mesh and the types", async () => {
    const before = tree();
    expect(gen("service", "hello-world").code).toBe(0);
    const after = tree();
    for (const file of ["package.json", "tsconfig.json", "wrangler.jsonc", "src/index.ts", "src/hello-world.ts", "src/hello-world.test.ts"]) {
      await expect(after[`services/hello-world/${file}`]).toMatchFileSnapshot(`__snapshots__/service/${file.replace("/", "__")}.snap`);
    }
    const changed = EDITED.map((file) => [file, diffLines(before[file]!, after[file]!)]);
    await expect(JSON.stringify(Object.fromEntries(changed), null, 2)).toMatchFileSnapshot("__snapshots__/service/edits.json.snap");
  });

  it("writes nothing on --dry-run and changes nothing when run twice", () => {
    const before = tree();
    const dry = gen("service", "hello-world", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.out).toContain("would create  services/hello-world/src/index.ts");
    expect(dry.out).toContain("would update  services/gateway/wrangler.jsonc");
    expect(tree()).toEqual(before);
    gen("service", "hello-world");
    const once = tree();
    const again = gen("service", "hello-world");
    expect(again).toEqual({ code: 0, out: expect.stringContaining("service hello-world: already generated, nothing to do") });
    expect(again.out).not.toMatch(/^(create|update)/m);
    expect(tree()).toEqual(once);
  });

  it("refuses to overwrite a file someone changed, and writes nothing then", () => {
    gen("service", "hello-world");
    writeFileSync(join(root, "services/hello-world/src/index.ts"), "// mine\n");
    rmSync(join(root, "services/hello-world/src/hello-world.test.ts"));
    const before = tree();
    const { code, out } = gen("service", "hello-world");
    expect(code).toBe(1);
    expect(out).toContain("conflict  services/hello-world/src/index.ts: exists with other content; not overwritten");
    expect(tree()).toEqual(before);
  });

  it("refuses reserved or invalid names and existing hand-written services", () => {
    expect(gen("service", "gateway").code).toBe(2);
    expect(gen("service", "Bad Name").code).toBe(2);
    mkdirSync(join(root, "services", "chat"), { recursive: true });
    expect(gen("service", "chat")).toMatchObject({ code: 1, out: expect.stringContaining("services/chat exists and was not generated") });
  });
});

describe("gen tenant", () => {
  it("scaffolds like `tenants new`, dry-runs, and changes nothing the second time", async () => {
    const before = tree();
    expect(gen("tenant", "t1", "--from", "acme", "--dry-run").code).toBe(0);
    expect(tree()).toEqual(before);
    expect(gen("tenant", "t1", "--from", "acme").code).toBe(0);
    const once = tree();
    // Without `keys`, which the schema may or may not still ask for (keys live in the platform).
    const { keys: _keys, ...config } = JSON.parse(once["tenants/t1/tenant.json"]!) as Record<string, unknown>;
    await expect(`${JSON.stringify(config, null, 2)}\n`).toMatchFileSnapshot("__snapshots__/tenant/tenant.json.snap");
    expect(once["tenants/t1/prompts/system.md"]).toBe("You are the assistant of t1. Answer clearly and briefly, in the language of the question.\n");
    expect(gen("tenant", "t1", "--from", "acme").out).toContain("tenant t1: already generated, nothing to do");
    expect(tree()).toEqual(once);
  });
});

/** The lines an edit added (+) or removed (-), in order. */
function diffLines(before: string, after: string): string[] {
  const old = new Set(before.split("\n"));
  const now = new Set(after.split("\n"));
  return [...before.split("\n").filter((l) => !now.has(l)).map((l) => `- ${l}`), ...after.split("\n").filter((l) => !old.has(l)).map((l) => `+ ${l}`)];
}
