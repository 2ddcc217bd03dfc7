// Reciprocal rank fusion: each list votes 1 / (k + rank) for its items; items found by several lists rise.

export interface RankedList {
  name: "semantic" | "keyword";
  ids: readonly string[];
}

export interface Fused {
  id: string;
  score: number;
  ranks: Partial<Record<RankedList["name"], number>>;
}

/** k = 60, the constant of the original paper (Cormack et al., 2009); ties keep the order of first appearance. */
export const RRF_K = 60;

export function reciprocalRankFusion(lists: readonly RankedList[], k = RRF_K): Fused[] {
  const fused = new Map<string, Fused & { first: number }>();
  let seen = 0;
  for (const list of lists) {
    list.ids.forEach((id, i) => {
      const rank = i + 1;
      let entry = fused.get(id);
      if (!entry) {
        entry = { id, score: 0, ranks: {}, first: seen++ };
        fused.set(id, entry);
      }
      if (entry.ranks[list.name] !== undefined) return;
      entry.ranks[list.name] = rank;
      entry.score += 1 / (k + rank);
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || Math.min(...Object.values(a.ranks)) - Math.min(...Object.values(b.ranks)) || a.first - b.first)
    .map(({ first: _first, ...entry }) => entry);
}
