// Hybrid fusion: a weighted convex combination of each side's scores, each normalised by the side's best score for
// the query, so a hit both sides rate highly rises and a side with only weak matches cannot push them to the top.

export interface ScoredList {
  name: "semantic" | "keyword";
  /** Best first: cosine similarity (semantic) or positive BM25 (keyword). */
  hits: readonly { id: string; score: number }[];
  weight: number;
}

export interface Fused {
  id: string;
  score: number;
  ranks: Partial<Record<ScoredList["name"], number>>;
}

/**
 * The keyword side's share of the fused score (the semantic side gets the rest). BM25 knows how rare each word is
 * in the tenant's documents; the local embedding twin only down-weights a static list of common words, so its
 * similarities are noisier and it mostly adds what BM25 cannot match: misspellings, spelling variants, word forms
 * the stemmer misses. See the README for the figures behind 0.7.
 */
export const KEYWORD_WEIGHT = 0.7;

/**
 * Each item scores sum(weight x max(0, score) / best score of its list); an item a list did not return gets 0 from
 * it. Ties go to the better single rank, then to the first appearance. An id repeated in a list counts once.
 */
export function fuseScores(lists: readonly ScoredList[]): Fused[] {
  const fused = new Map<string, Fused & { first: number }>();
  let seen = 0;
  for (const list of lists) {
    const best = list.hits.reduce((max, hit) => Math.max(max, hit.score), 0);
    list.hits.forEach(({ id, score }, i) => {
      let entry = fused.get(id);
      if (!entry) {
        entry = { id, score: 0, ranks: {}, first: seen++ };
        fused.set(id, entry);
      }
      if (entry.ranks[list.name] !== undefined) return;
      entry.ranks[list.name] = i + 1;
      if (best > 0) entry.score += (list.weight * Math.max(0, score)) / best;
    });
  }
  const bestRank = (f: Fused) => Math.min(...Object.values(f.ranks));
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || bestRank(a) - bestRank(b) || a.first - b.first)
    .map(({ first: _first, ...entry }) => entry);
}
