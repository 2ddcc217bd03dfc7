// Unit tests for metadata filters as SQL: Vectorize's operators on columns and on the document's JSON metadata.
import { describe, expect, it } from "vitest";
import { filterSql } from "./filter-sql.ts";
import { oneEditVariants, openMatchExpression, queryTerms, typoCandidates, typoVariants, vocabulary } from "./fts-query.ts";

describe("filterSql", () => {
  it("is empty without a filter", () => {
    expect(filterSql(undefined)).toEqual({ sql: "", params: [] });
  });

  it("maps platform keys to columns and other keys to the JSON metadata, ANDing them", () => {
    expect(filterSql({ docId: "a", team: "ops" })).toEqual({ sql: " AND c.doc_id = ? AND json_extract(c.metadata, '$.team') = ?", params: ["a", "ops"] });
  });

  it("binds booleans as SQLite stores JSON booleans", () => {
    expect(filterSql({ public: true }).params).toEqual([1]);
  });

  it("lets a missing field match $ne and $nin, as Vectorize does", () => {
    expect(filterSql({ team: { $ne: "ops" } }).sql).toBe(" AND (json_extract(c.metadata, '$.team') IS NULL OR json_extract(c.metadata, '$.team') <> ?)");
    const nin = filterSql({ team: { $nin: ["a", "b"] } });
    expect(nin.sql).toContain("IS NULL OR");
    expect(nin.params).toEqual(["a", "b"]);
  });

  it("compares ranges only between values of the same type", () => {
    const range = filterSql({ year: { $gte: 2020, $lt: 2024 } });
    expect(range.sql).toContain("typeof(json_extract(c.metadata, '$.year')) IN ('integer', 'real') AND json_extract(c.metadata, '$.year') >= ?");
    expect(range.params).toEqual([2020, 2024]);
    expect(filterSql({ name: { $gt: "m" } }).sql).toContain("typeof(json_extract(c.metadata, '$.name')) = 'text'");
  });

  it("refuses keys that could break out of the JSON path", () => {
    expect(() => filterSql({ "a') OR 1=1 --": "x" })).toThrow(/invalid filter key/);
  });
});

describe("the MATCH expression", () => {
  it("scopes the match to the tenant's token and quotes every keyword", () => {
    expect(`${openMatchExpression("demo", queryTerms(["reset", "pass\"word", "AND", "Reset"]))})`).toBe('tenant_token : t64656d6f AND {title headings text} : ("reset" OR "pass" OR "word" OR "and")');
  });

  it("has no term without a searchable word", () => {
    expect(queryTerms(["—", ""])).toEqual([]);
  });
});

describe("typo variants", () => {
  it("corrects only plain words of five letters or more", () => {
    expect(typoCandidates(["reset", "key", "café", "abc12", "garnixvl"])).toEqual(["reset", "garnixvl"]);
  });

  it("lists every word one deletion, swap, replacement or insertion away, once, without the word", () => {
    const variants = oneEditVariants("abcde");
    for (const v of ["bcde", "abce", "bacde", "abced", "xbcde", "abcdx", "xabcde", "abcdex", "abxcde"]) expect(variants).toContain(v);
    expect(variants).not.toContain("abcde");
    expect(new Set(variants).size).toBe(variants.length);
    // 5 deletions, 4 swaps, 5 x 25 replacements and 6 x 26 insertions, less 5 duplicates (a letter inserted next to itself).
    expect(variants.length).toBe(5 + 4 + 5 * 25 + 6 * 26 - 5);
  });

  it("keeps one variant per Porter stem, none with the word's own stem", () => {
    const variants = typoVariants(["resets"]);
    const stems = variants.map(([stem]) => stem);
    expect(new Set(stems).size).toBe(stems.length);
    expect(stems).not.toContain("reset");
    expect(variants).toContainEqual(["preset", "presets"]);
  });

  it("takes the stems of a text's plain words of four letters or more as its vocabulary", () => {
    expect([...vocabulary(["Resetting the keys", "café menu x2y2 resets"])].sort(([a], [b]) => a.localeCompare(b))).toEqual([["kei", "keys"], ["menu", "menu"], ["reset", "resetting"]]);
  });
});
