// The FTS5 MATCH expression for a query: the tenant's token AND any of the keywords, each quoted so no user text
// is read as FTS syntax; and the one-typo variants of a word, for hybrid retrieval's typo tolerance.
import { ftsTenantToken, stem, words } from "@platform/shared";

const CONTENT_COLUMNS = "{title headings text}";

/** Typo tolerance's reach, Meilisearch's default for one typo: words of 5 letters or more. */
export const TYPO_MIN_LENGTH = 5;
/** At most this many words of a query are corrected (each brings a few hundred variants to stem and look up). */
export const MAX_TYPO_WORDS = 3;
const TYPO_WORD = new RegExp(`^[a-z]{${TYPO_MIN_LENGTH},}$`);
const LETTERS = "abcdefghijklmnopqrstuvwxyz";

/** The distinct lowercased words FTS5 matches in the keywords. */
export function queryTerms(keywords: readonly string[]): string[] {
  return [...new Set(keywords.flatMap(words))];
}

/** What precedes a quoted term to match it in the tenant's chunks only (their title, headings and text). */
export function tenantScope(tenantId: string): string {
  return `tenant_token : ${ftsTenantToken(tenantId)} AND ${CONTENT_COLUMNS} : `;
}

/** The MATCH expression without its closing parenthesis, so more `OR "term"` can follow. */
export function openMatchExpression(tenantId: string, terms: readonly string[]): string {
  return `${tenantScope(tenantId)}(${terms.map((t) => `"${t}"`).join(" OR ")}`;
}

/** The terms typo tolerance may correct: plain ASCII words of TYPO_MIN_LENGTH letters or more. */
export function typoCandidates(terms: readonly string[]): string[] {
  return terms.filter((t) => TYPO_WORD.test(t));
}

/** Every word one edit from `word` (Damerau: a letter deleted, swapped with the next, replaced or inserted). */
export function oneEditVariants(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)];
    if (tail) out.add(head + tail.slice(1));
    if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2));
    for (const letter of LETTERS) {
      if (tail) out.add(head + letter + tail.slice(1));
      out.add(head + letter + tail);
    }
  }
  out.delete(word);
  return [...out];
}

/**
 * The Porter stems of the words of 4 or more letters in `texts` (what tenant_terms holds for them), each with one of
 * its words. Letter runs of a token with digits count too ("abcd" of "abcd12"): a stem no token has only makes a
 * correction that matches nothing.
 */
export function vocabulary(texts: Iterable<string>): Map<string, string> {
  const seen = new Set<string>();
  for (const text of texts) for (const word of text.toLowerCase().match(/[a-z]{4,}/g) ?? []) seen.add(word);
  const stems = new Map<string, string>();
  for (const word of seen) {
    const stemmed = stem(word);
    if (!stems.has(stemmed)) stems.set(stemmed, word);
  }
  return stems;
}

/**
 * The one-edit variants of `words` as [Porter stem, variant] pairs, one per stem other than the word's own (FTS5
 * matches stems: two variants of one stem would count twice).
 */
export function typoVariants(words: readonly string[]): [string, string][] {
  const byStem = new Map<string, string>();
  for (const word of words) {
    const own = stem(word);
    for (const variant of oneEditVariants(word)) {
      const key = stem(variant);
      if (key !== own && !byStem.has(key)) byStem.set(key, variant);
    }
  }
  return [...byStem];
}
