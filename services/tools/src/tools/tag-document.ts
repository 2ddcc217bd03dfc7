// tag_document: keyword tags for a document, by how often its content words and word pairs occur (no model: cheap and
// repeatable, so the same document always gets the same tags).
import * as v from "valibot";
import { contentWords, stem } from "../text.ts";
import { defineTool } from "../tool.ts";

export const tagDocument = defineTool({
  name: "tag_document",
  description: "Suggest keyword tags for a document from its most frequent content words and phrases. Returns { tags, method }.",
  input: v.strictObject({
    text: v.pipe(v.string(), v.minLength(1), v.maxLength(200_000), v.description("The document text.")),
    maxTags: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20), v.description("At most this many tags (default 5).")), 5),
  }),
  scopes: ["tools"],
  limits: { maxInputBytes: 256 * 1024, maxOutputBytes: 2 * 1024, timeoutMs: 5_000 },
  async handler(_ctx, args) {
    return { tags: tags(args.text, args.maxTags), method: "rules" };
  },
});

/** The most frequent stems (shown as their most common spelling) and repeated word pairs, best first. */
export function tags(text: string, max: number): string[] {
  const tokens = contentWords(text);
  const scores = new Map<string, { score: number; first: number; spellings: Map<string, number> }>();
  const bump = (key: string, spelling: string, weight: number, at: number) => {
    const entry = scores.get(key) ?? { score: 0, first: at, spellings: new Map() };
    entry.score += weight;
    entry.spellings.set(spelling, (entry.spellings.get(spelling) ?? 0) + 1);
    scores.set(key, entry);
  };
  tokens.forEach((word, i) => bump(stem(word), word, 1, i));
  const pairs = new Map<string, number>();
  for (let i = 1; i < tokens.length; i++) pairs.set(`${tokens[i - 1]} ${tokens[i]}`, (pairs.get(`${tokens[i - 1]} ${tokens[i]}`) ?? 0) + 1);
  tokens.forEach((_, i) => {
    const pair = i > 0 ? `${tokens[i - 1]} ${tokens[i]}` : "";
    // A pair counts when it repeats; it then outranks its words alone.
    if (pair && (pairs.get(pair) ?? 0) >= 2) bump(`pair:${pair}`, pair, 2.5, i);
  });
  return [...scores.values()]
    .sort((a, b) => b.score - a.score || a.first - b.first)
    .map((entry) => [...entry.spellings.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0])
    .filter((tag, i, all) => all.indexOf(tag) === i)
    .slice(0, max);
}
