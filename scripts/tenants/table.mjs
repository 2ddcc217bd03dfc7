// Plain text tables for the CLI's listings: columns padded to their widest cell.
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? "").length)));
  return [header, ...rows].map((row) => row.map((cell, i) => String(cell ?? "").padEnd(widths[i])).join("  ").trimEnd());
}
