// Applies a generator's plan: new files (written once; an existing file with other content is a conflict, never
// overwritten) and edits of existing files (functions of the text that return it unchanged once applied), so a
// second run changes nothing. A dry run reports the same and writes nothing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";

/** plan: { files: [[path, content]], edits: [[path, (text) => text]] }; returns { written, unchanged, conflicts }. */
export function applyPlan(plan, { root, dryRun = false, out = () => {} }) {
  /** @type {{ written: string[], unchanged: string[], conflicts: string[] }} */
  const result = { written: [], unchanged: [], conflicts: [] };
  const show = (path) => relative(root, path);
  const pending = [];
  for (const [path, content] of plan.files) {
    if (!existsSync(path)) pending.push([path, content, "create"]);
    else if (readFileSync(path, "utf8") === content) result.unchanged.push(show(path));
    else result.conflicts.push(show(path));
  }
  for (const [path, edit] of plan.edits) {
    if (!existsSync(path)) {
      result.conflicts.push(show(path) + " (missing: cannot add to it)");
      continue;
    }
    const before = readFileSync(path, "utf8");
    const after = edit(before, show(path));
    if (after === before) result.unchanged.push(show(path));
    else pending.push([path, after, "update"]);
  }
  // Nothing is written when any file conflicts: a half-generated service is worse than none.
  if (result.conflicts.length) {
    for (const path of result.conflicts) out(`conflict  ${path}: exists with other content; not overwritten`);
    return result;
  }
  for (const [path, content, verb] of pending) {
    out(`${dryRun ? "would " + verb : verb.padEnd(6)}  ${show(path)}`);
    result.written.push(show(path));
    if (dryRun) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  for (const path of result.unchanged) out(`unchanged  ${path}`);
  return result;
}
