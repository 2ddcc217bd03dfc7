// Hybrid fusion: a weighted convex combination of each side's scores, each normalised by the side's best score for
// the query, so a hit both sides rate highly rises and a side with only weak matches cannot push them to the top. A
// side that returned all the hits it was asked for scores what it left out at its last hit's score: the most that
// item can have scored there, not nothing.

export interface ScoredList {
  name: "semantic" | "keyword";
  /** Best first: cosine similarity (semantic) or positive BM25 (keyword). */
  hits: readonly { id: string; score: number }[];
  weight: number;
  /** How many hits the side was asked for: when it returned that many, the rest score at most its last hit. */
  limit?: number;
}

export interface Fused {
  id: string;
  score: number;
  ranks: Partial<Record<ScoredList["name"], number>>;
}

/**
 * The keyword side's share of the fused score (the semantic side gets the rest) when the tenant sets none
 * (`rag.fusion.keywordWeight`). With a real embedding model (staging, production: bge-base-en-v1.5) the semantic
 * side is the stronger one on natural-language queries: published hybrid studies put the best convex weight on the
 * lexical side between 0.2 and 0.5, so 0.4. Locally (development binds the twins) the embeddings are the twin's
 * lexical-subword vectors (character 4-grams), about as good as BM25 alone but with another signal, so 0.55 (best
 * of 0.5-0.7 on the tuned benchmark sets). See the README ("Fusion").
 */
export const KEYWORD_WEIGHT = 0.4;
export const LOCAL_TWIN_KEYWORD_WEIGHT = 0.55;

/** The default keyword share for where the service runs: the top level of its wrangler.jsonc binds the twins. */
export function fusionKeywordWeight(environment: string | undefined): number {
  return environment === "development" ? LOCAL_TWIN_KEYWORD_WEIGHT : KEYWORD_WEIGHT;
}

/**
 * Each item scores sum(weight x max(0, score) / best score of its list). An item a list did not return gets from it
 * what the list's last hit gets when the list is full (`limit` hits), else 0 (the side has no more matches). Ties
 * go to the better single rank, then to the first appearance. An id repeated in a list counts once.
 */
export function fuseScores(lists: readonly ScoredList[]): Fused[] {
  const fused = new Map<string, Fused & { first: number }>();
  const floors: { name: ScoredList["name"]; floor: number }[] = [];
  let seen = 0;
  for (const list of lists) {
    const best = list.hits.reduce((max, hit) => Math.max(max, hit.score), 0);
    const normalised = (score: number) => (best > 0 ? (list.weight * Math.max(0, score)) / best : 0);
    const last = list.hits.at(-1);
    if (last && list.limit !== undefined && list.hits.length >= list.limit) floors.push({ name: list.name, floor: normalised(last.score) });
    list.hits.forEach(({ id, score }, i) => {
      let entry = fused.get(id);
      if (!entry) {
        entry = { id, score: 0, ranks: {}, first: seen++ };
        fused.set(id, entry);
      }
      if (entry.ranks[list.name] !== undefined) return;
      entry.ranks[list.name] = i + 1;
      entry.score += normalised(score);
    });
  }
  for (const { name, floor } of floors) for (const entry of fused.values()) if (entry.ranks[name] === undefined) entry.score += floor;
  const bestRank = (f: Fused) => Math.min(...Object.values(f.ranks));
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || bestRank(a) - bestRank(b) || a.first - b.first)
    .map(({ first: _first, ...entry }) => entry);
}
