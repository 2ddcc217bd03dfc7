// The console's bundle stays within its budget: everything the browser downloads, gzipped, at most 150 KiB.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain ESM script without types
import { buildConsole } from "../../services/gateway/console/build.mjs";

const DIST = join(import.meta.dirname, "../../services/gateway/console/dist");

const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));

describe("the console bundle", () => {
  it("is at most 150 KiB gzipped and loads nothing from another origin", () => {
    buildConsole();
    const served = files(DIST).filter((f) => /\.(html|js|css|svg)$/.test(f));
    const gzipped = served.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
    expect(gzipped).toBeLessThanOrEqual(150 * 1024);
    const html = readFileSync(join(DIST, "index.html"), "utf8");
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});
