// Unit tests for metadata filters as SQL: Vectorize's operators on columns and on the document's JSON metadata.
import { describe, expect, it } from "vitest";
import { filterSql } from "./filter-sql.ts";
import { matchExpression } from "./fts-query.ts";

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

describe("matchExpression", () => {
  it("scopes the match to the tenant's token and quotes every keyword", () => {
    expect(matchExpression("demo", ["reset", "pass\"word", "AND"])).toBe('tenant_token : t64656d6f AND {title headings text} : ("reset" OR "pass" OR "word" OR "and")');
  });

  it("is null without a searchable word", () => {
    expect(matchExpression("demo", ["—", ""])).toBeNull();
  });
});
