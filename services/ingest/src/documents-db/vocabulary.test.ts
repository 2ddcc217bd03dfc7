// The tenant's vocabulary on a real SQLite (Node's node:sqlite with the documents migrations, standing in for D1):
// written by a commit, read by the typo-tolerant search, pruned by a delete, and every step per tenant.
import { beforeEach, describe, expect, it } from "vitest";
import { applyMigrations, d1OverSqlite, openSqlite, type SqliteDatabase } from "@platform/shared/sqlite-testing";
import { typoTolerantSearch } from "./read.ts";
import { commitDocuments, deleteDocumentRows, type DocumentRecord } from "./write.ts";

const doc = (id: string, text: string): DocumentRecord => ({ id, version: "v1", contentType: "text/plain", metadata: {}, bytes: text.length, chunks: [{ id: `${id}-0`, seq: 0, text, headings: [] }] });

let sqlite: SqliteDatabase;
let db: D1Database;
const terms = (tenant: string) => sqlite.prepare("SELECT term FROM tenant_terms WHERE tenant_id = ? ORDER BY term").all(tenant).map((r) => r.term);
const search = async (tenant: string, query: string) => (await typoTolerantSearch(db, tenant, [query], undefined, 10)).map((h) => h.id);

beforeEach(async () => {
  sqlite = await openSqlite();
  await applyMigrations(sqlite, "services/ingest/migrations");
  db = d1OverSqlite(sqlite);
  await commitDocuments(db, "a", [doc("beacon", "The Quillendor beacon guides ships."), doc("harbour", "Ships wait in the harbour by the beacon.")], [], 1);
  await commitDocuments(db, "b", [doc("tower", "The Quillendar tower.")], [], 1);
});

describe("the tenant's vocabulary", () => {
  it("holds the stems of the words of 4+ letters of each tenant's own chunks", () => {
    expect(terms("a")).toEqual(["beacon", "guid", "harbour", "quillendor", "ship", "wait"]);
    expect(terms("b")).toEqual(["quillendar", "tower"]);
  });

  it("lets a word one typo from a word of the tenant's match it, and only the tenant's", async () => {
    expect(await search("a", "quilendor")).toEqual(["beacon-0"]);
    // "quillendar" is one typo from B's word and two from A's.
    expect(await search("a", "quillendaar")).toEqual([]);
    expect(await search("b", "quillendaar")).toEqual(["tower-0"]);
  });

  it("drops the words only a deleted document held, and keeps the others", async () => {
    expect(await deleteDocumentRows(db, "a", "beacon", 2)).toEqual(["beacon-0"]);
    expect(terms("a")).toEqual(["beacon", "harbour", "ship", "wait"]);
    expect(terms("b")).toEqual(["quillendar", "tower"]);
    expect(await search("a", "quilendor")).toEqual([]);
  });
});
