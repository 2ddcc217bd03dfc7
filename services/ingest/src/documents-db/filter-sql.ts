// Metadata filters (Vectorize's grammar) as SQL over chunk rows, so the keyword side filters exactly as Vectorize does:
// several keys AND together, a missing field matches $ne and $nin, ranges compare only values of the same type.
import { AppError, type MetadataFilter } from "@platform/shared";

type Scalar = string | number | boolean;

export interface SqlFilter {
  sql: string;
  params: (string | number)[];
}

/** Platform keys live in columns; everything else is the document's own metadata (JSON). */
const COLUMNS: Record<string, string> = { docId: "c.doc_id", contentType: "c.content_type", title: "c.title", url: "c.url", chunk: "c.seq", headings: "c.headings" };
export const MAX_FILTER_PARAMS = 80;

const bind = (value: Scalar): string | number => (typeof value === "boolean" ? (value ? 1 : 0) : value);

export function filterSql(filter: MetadataFilter | undefined): SqlFilter {
  if (!filter) return { sql: "", params: [] };
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  for (const [key, rule] of Object.entries(filter)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(key)) throw new AppError("invalid_request", `invalid filter key "${key.slice(0, 64)}"`);
    const column = COLUMNS[key];
    const expr = column ?? `json_extract(c.metadata, '$.${key}')`;
    const ops = typeof rule === "object" ? rule : { $eq: rule };
    for (const [op, value] of Object.entries(ops) as [string, Scalar | Scalar[] | undefined][]) {
      if (value === undefined) continue;
      if (op === "$in" || op === "$nin") {
        const list = value as Scalar[];
        const marks = list.map(() => "?").join(",");
        clauses.push(op === "$in" ? `${expr} IN (${marks})` : `(${expr} IS NULL OR ${expr} NOT IN (${marks}))`);
        params.push(...list.map(bind));
      } else if (op === "$eq") {
        clauses.push(`${expr} = ?`);
        params.push(bind(value as Scalar));
      } else if (op === "$ne") {
        clauses.push(`(${expr} IS NULL OR ${expr} <> ?)`);
        params.push(bind(value as Scalar));
      } else {
        const sqlOp = { $lt: "<", $lte: "<=", $gt: ">", $gte: ">=" }[op];
        if (!sqlOp) throw new AppError("invalid_request", `unsupported filter operator "${op}"`);
        const scalar = value as Scalar;
        if (typeof scalar === "boolean") {
          clauses.push("0");
          continue;
        }
        const type = typeof scalar === "number" ? "typeof(" + expr + ") IN ('integer', 'real')" : "typeof(" + expr + ") = 'text'";
        clauses.push(`(${type} AND ${expr} ${sqlOp} ?)`);
        params.push(scalar);
      }
    }
  }
  if (params.length > MAX_FILTER_PARAMS) throw new AppError("invalid_request", `a filter may bind at most ${MAX_FILTER_PARAMS} values`);
  return { sql: clauses.map((c) => ` AND ${c}`).join(""), params };
}
