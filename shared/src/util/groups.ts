// Splitting a list into runs of at most `size`: statements within SQLite's parameter limit, batches within an API's.

export function inGroups<T>(items: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < items.length; i += size) groups.push(items.slice(i, i + size));
  return groups;
}
