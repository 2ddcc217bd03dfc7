// A real SQLite for unit tests (Node's node:sqlite, Node 22), and a D1Database over it: what the Durable Objects'
// storage and D1 run, without the Workers runtime.

export interface SqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): { all(...values: unknown[]): Record<string, unknown>[] };
}

/** An in-memory database. The packages' types are the Workers runtime's: node:sqlite is loaded untyped. */
export async function openSqlite(): Promise<SqliteDatabase> {
  const sqliteModule: string = "node:sqlite";
  const { DatabaseSync } = (await import(sqliteModule)) as { DatabaseSync: new (path: string) => SqliteDatabase };
  return new DatabaseSync(":memory:");
}

/** Runs every .sql file of `dir` (a folder of the repository, such as "services/ingest/migrations") in name order. */
export async function applyMigrations(sqlite: SqliteDatabase, dir: string): Promise<void> {
  const fsModule: string = "node:fs";
  const fs = (await import(fsModule)) as { readdirSync(path: URL): string[]; readFileSync(path: URL, encoding: "utf8"): string };
  const folder = new URL(`../../../${dir}/`, (import.meta as unknown as { url: string }).url);
  const files = fs.readdirSync(folder).filter((f) => f.endsWith(".sql"));
  for (const file of files.sort((a, b) => a.localeCompare(b))) sqlite.exec(fs.readFileSync(new URL(file, folder), "utf8"));
}

/** The D1Database methods the services use (prepare, bind, all, first, run, batch), over `sqlite`; a batch is one transaction. */
export function d1OverSqlite(sqlite: SqliteDatabase): D1Database {
  const statement = (sql: string, params: unknown[] = []) => ({
    bind: (...values: unknown[]) => statement(sql, values),
    all: async () => ({ results: sqlite.prepare(sql).all(...params), success: true }),
    first: async () => sqlite.prepare(sql).all(...params)[0] ?? null,
    run: async () => ({ results: sqlite.prepare(sql).all(...params), success: true }),
  });
  return {
    prepare: (sql: string) => statement(sql),
    async batch(statements: ReturnType<typeof statement>[]) {
      sqlite.exec("BEGIN");
      try {
        const results = [];
        for (const s of statements) results.push(await s.all());
        sqlite.exec("COMMIT");
        return results;
      } catch (error) {
        sqlite.exec("ROLLBACK");
        throw error;
      }
    },
  } as unknown as D1Database;
}

/** The SqlStorage a Durable Object's `ctx.storage.sql` offers (exec, with `toArray` and `one`), over `sqlite`. */
export function sqlStorageOverSqlite(sqlite: SqliteDatabase): SqlStorage {
  return {
    exec(query: string, ...bindings: unknown[]) {
      // Several statements without bindings, as a constructor's schema or a migration: run them all.
      if (bindings.length === 0 && query.trim().replace(/;$/, "").includes(";")) {
        sqlite.exec(query);
        return { toArray: () => [], one: () => undefined };
      }
      const rows = sqlite.prepare(query).all(...bindings);
      return { toArray: () => rows, one: () => rows[0] };
    },
  } as unknown as SqlStorage;
}
