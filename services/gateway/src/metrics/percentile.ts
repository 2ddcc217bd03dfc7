// Percentiles by nearest rank: the value at rank ceil(q * n) of the sorted values, the same as Analytics Engine's
// quantileExactWeighted(q)(value, _sample_interval) on unsampled data, and the same the load generator reports.

/** `sorted` ascending; 0 when there are no values. */
export function nearestRank(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? 0;
}
