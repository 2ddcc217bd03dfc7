// Field-by-field drift between two tenant configs: one line per changed leaf ("limits.requestsPerMinute: 60 -> 120"),
// arrays compared whole, long or multi-line text (prompts) shown as the lines that differ.

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/** Changes from `deployed` to `repo`, sorted by path: { path, from, to } with undefined for a missing side. */
export function drift(deployed, repo, prefix = "") {
  const changes = [];
  const fields = [...new Set([...Object.keys(deployed ?? {}), ...Object.keys(repo ?? {})])].sort();
  for (const field of fields) {
    const path = prefix ? `${prefix}.${field}` : field;
    const from = deployed?.[field];
    const to = repo?.[field];
    if (isObject(from) && isObject(to)) changes.push(...drift(from, to, path));
    else if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ path, from, to });
  }
  return changes;
}

const show = (value) => (value === undefined ? "(unset)" : JSON.stringify(value));

function isText(value) {
  return typeof value === "string" && (value.includes("\n") || value.length > 60);
}

/** The lines `diff` prints for one change. */
export function describe({ path, from, to }) {
  if (!isText(from) && !isText(to)) return [`${path}: ${show(from)} -> ${show(to)}`];
  const before = typeof from === "string" ? from.split("\n") : [];
  const after = typeof to === "string" ? to.split("\n") : [];
  const lines = [`${path}: text changed (${before.length} -> ${after.length} lines)`];
  for (const line of before) if (!after.includes(line)) lines.push(`  - ${line}`);
  for (const line of after) if (!before.includes(line)) lines.push(`  + ${line}`);
  return lines;
}
