// Builds a held-out BEIR-format set from the READMEs installed in node_modules: each package's README (its title,
// badges, code blocks and any line repeating the description removed, cut to abstract length) is a document, and
// its package.json description is the query that should find it. Descriptions are written by other people than the
// READMEs and often in other words, so the set was never tuned on. `--source man` builds the same kind of set from
// the machine's section-1 manual pages instead (query: the NAME line's description; document: the page after it),
// thousands of pages on a Debian machine; `--section 3` (library calls), 8 (administration) and so on take another
// section's pages, a set of other wording. `--source dpkg` takes the installed Debian packages (query: the one-line
// synopsis; document: the long description) and `--source python` the installed Python distributions (query: the
// Summary; document: the description in their METADATA); `--source pydoc` the newest Python's standard library
// (query: a module's, class's or function's docstring summary; document: the rest of that docstring). Usage:
//   node scripts/bench/retrieval/held-out.mjs OUT_DIR [--source npm|man|dpkg|python|pydoc] [--section 1] [--max 600]
import { gunzipSync } from "node:zlib";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { ROOT } from "../../mesh.mjs";

const out = process.argv[2];
if (!out) throw new Error("usage: held-out.mjs OUT_DIR [--source npm|man|dpkg|python|pydoc] [--section N] [--max N]");
const maxIndex = process.argv.indexOf("--max");
const MAX = maxIndex > 0 ? Number(process.argv[maxIndex + 1]) : 600;
const MAX_CHARS = 1500;
const sourceIndex = process.argv.indexOf("--source");
const SOURCE = sourceIndex > 0 ? process.argv[sourceIndex + 1] : "npm";
const sectionIndex = process.argv.indexOf("--section");
const SECTION = sectionIndex > 0 ? process.argv[sectionIndex + 1] : "1";

/** Every package under a node_modules folder, nested ones included. */
function packageDirs(modules) {
  if (!existsSync(modules)) return [];
  const dirs = readdirSync(modules)
    .filter((name) => !name.startsWith("."))
    .flatMap((name) => (name.startsWith("@") ? readdirSync(join(modules, name)).map((sub) => join(modules, name, sub)) : [join(modules, name)]))
    .sort();
  return dirs.flatMap((dir) => [dir, ...packageDirs(join(dir, "node_modules"))]);
}

const words = (text) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
const corpus = [];
const queries = [];
const qrels = [];
function add(title, description, text) {
  corpus.push({ _id: `p${corpus.length}`, title, text });
  queries.push({ _id: `q${corpus.length - 1}`, text: description });
  qrels.push([`q${corpus.length - 1}`, `p${corpus.length - 1}`, 1]);
}

/** Plain text of a troff manual page: requests dropped, escapes resolved roughly. */
function troffText(source) {
  return source
    .split("\n")
    .filter((line) => !line.startsWith(".") && !line.startsWith("'"))
    .join(" ")
    .replace(/\\f(\[[^\]]*\]|\(..|.)/g, "")
    .replace(/\\\(..|\\\[[^\]]*\]|\\[&/,:%|^]/g, "")
    .replace(/\\s[-+]?\d/g, "")
    .replace(/\\-/g, "-")
    .replace(/\\(.)/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}

const seenDescriptions = new Set();
const seenNames = new Set();
/** Adds a page, less the lines that mostly repeat its query and cut to abstract length, unless short or seen. */
function addDescribed(title, description, body) {
  if (seenDescriptions.has(description.toLowerCase()) || seenNames.has(title)) return;
  const descWords = new Set(words(description));
  const text = body
    .split("\n")
    .filter((line) => {
      // A line that mostly repeats the description would make the query trivial.
      const w = words(line);
      return w.length === 0 || w.filter((x) => descWords.has(x)).length / Math.max(descWords.size, 1) < 0.6;
    })
    .join(" ")
    .replace(/[#*_`>|-]{2,}/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_CHARS);
  if (words(text).length < 60) return;
  seenDescriptions.add(description.toLowerCase());
  seenNames.add(title);
  add(title, description, text);
}

/** Markdown without code blocks, HTML, images, link targets and heading lines (usually the package name). */
function markdownText(text) {
  return text
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .split("\n")
    .filter((line) => !/^\s*#\s/.test(line))
    .join("\n");
}

const subdirs = (dir) => (existsSync(dir) ? readdirSync(dir).map((d) => join(dir, d)) : []);
/** Each pyenv version's library folder (lib/pythonX.Y), oldest first. */
const pythonLibs = () =>
  subdirs(join(homedir(), ".pyenv", "versions"))
    .flatMap((v) => subdirs(join(v, "lib")).filter((d) => /\/python[\d.]+$/.test(d)))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));

const SOURCES = {
  man() {
    const dir = `/usr/share/man/man${SECTION}`;
    const seen = new Set();
    for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".gz")).sort() : []) {
      if (corpus.length >= MAX) break;
      let page;
      try {
        page = gunzipSync(readFileSync(join(dir, file))).toString("utf8");
      } catch {
        continue;
      }
      const name = /^\.SH "?NAME"?\s*\n([\s\S]*?)\n\.SH/m.exec(page);
      const line = name ? troffText(name[1]) : "";
      const dash = line.indexOf(" - ");
      const description = dash > 0 ? line.slice(dash + 3).trim() : "";
      if (words(description).length < 3 || seen.has(description.toLowerCase())) continue;
      const text = troffText(page.slice(name.index + name[0].length - 3)).slice(0, MAX_CHARS);
      if (words(text).length < 60) continue;
      seen.add(description.toLowerCase());
      add(line.slice(0, dash).split(",")[0].trim(), description, text);
    }
  },
  dpkg() {
    // Debian's package database: "Description: synopsis" then the long description, each line indented, " ." blank.
    const status = existsSync("/var/lib/dpkg/status") ? readFileSync("/var/lib/dpkg/status", "utf8") : "";
    for (const entry of status.split("\n\n").sort()) {
      if (corpus.length >= MAX) break;
      const name = /^Package: (.+)$/m.exec(entry)?.[1];
      const described = /^Description: (.*)\n((?:[ \t].*\n?)*)/m.exec(entry);
      if (!name || !described || words(described[1]).length < 3) continue;
      addDescribed(name, described[1].trim(), described[2].replace(/^ \.$/gm, "").replace(/^ /gm, ""));
    }
  },
  python() {
    // Every Python distribution's METADATA (Debian's and each pyenv version's): the Summary header, then the body.
    const roots = ["/usr/lib/python3/dist-packages", ...pythonLibs().map((d) => join(d, "site-packages"))];
    for (const info of roots.flatMap(subdirs).filter((d) => d.endsWith(".dist-info")).sort()) {
      if (corpus.length >= MAX) break;
      let metadata;
      try {
        metadata = readFileSync(join(info, "METADATA"), "utf8");
      } catch {
        continue;
      }
      const split = metadata.indexOf("\n\n");
      const headers = split > 0 ? metadata.slice(0, split) : metadata;
      const name = /^Name: (.+)$/m.exec(headers)?.[1]?.trim().toLowerCase();
      const summary = /^Summary: (.+)$/m.exec(headers)?.[1]?.trim() ?? "";
      const body = split > 0 ? metadata.slice(split + 2) : (/^Description: ([\s\S]*)/m.exec(headers)?.[1] ?? "");
      if (!name || words(summary).length < 3) continue;
      addDescribed(name, summary, markdownText(body));
    }
  },
  pydoc() {
    // The newest Python's standard library docstrings (modules, classes and functions): the summary, then the rest.
    const lib = pythonLibs().at(-1);
    const files = lib ? readdirSync(lib, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".py") && !/(^|\/)(test|tests|idlelib|site-packages)(\/|$)|(^|\/)test_/.test(f)).sort() : [];
    for (const file of files) {
      if (corpus.length >= MAX) break;
      const source = readFileSync(join(lib, file), "utf8");
      const module = file.replace(/(\/__init__)?\.py$/, "").replaceAll("/", ".");
      const docstrings = [...source.matchAll(/^\s*(?:(?:async )?def|class) (\w+)[^\n]*:\n\s+[rRuU]?"""([\s\S]*?)"""/gm)].map((m) => [`${module}.${m[1]}`, m[2]]);
      const top = /^(?:#.*\n|\s*\n)*[rRuU]?"""([\s\S]*?)"""/.exec(source);
      if (top) docstrings.unshift([module, top[1]]);
      for (const [name, doc] of docstrings) {
        const [first, ...rest] = doc.trim().split(/\n\s*\n/);
        const summary = first.replace(/\s+/g, " ").trim();
        if (words(summary).length >= 3 && summary.length <= 200 && corpus.length < MAX) addDescribed(name, summary, rest.join("\n"));
      }
    }
  },
  npm() {
    // The repo's packages, then npm's own (bundled with every Node install): a few hundred READMEs.
    const npmModules = join(dirname(dirname(realpathSync(process.execPath))), "lib", "node_modules", "npm", "node_modules");
    for (const dir of [...packageDirs(join(ROOT, "node_modules")), ...packageDirs(npmModules)]) {
      if (corpus.length >= MAX) break;
      let pkg;
      try {
        pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      } catch {
        continue;
      }
      const readme = readdirSync(dir).find((f) => /^readme(\.md|\.markdown)?$/i.test(f));
      const description = typeof pkg.description === "string" ? pkg.description.trim() : "";
      if (!readme || words(description).length < 5) continue;
      addDescribed(pkg.name, description, markdownText(readFileSync(join(dir, readme), "utf8")));
    }
  },
};

if (!SOURCES[SOURCE]) throw new Error(`unknown --source ${SOURCE}: one of ${Object.keys(SOURCES).join(", ")}`);
SOURCES[SOURCE]();
write();

function write() {
mkdirSync(join(out, "qrels"), { recursive: true });
writeFileSync(join(out, "corpus.jsonl"), corpus.map((d) => JSON.stringify(d)).join("\n") + "\n");
writeFileSync(join(out, "queries.jsonl"), queries.map((q) => JSON.stringify(q)).join("\n") + "\n");
writeFileSync(join(out, "qrels", "test.tsv"), ["query-id\tcorpus-id\tscore", ...qrels.map((r) => r.join("\t"))].join("\n") + "\n");
console.log(`${corpus.length} documents and queries in ${out}`);
}
