// The FTS5 MATCH expression for a query: the tenant's token AND any of the keywords, each quoted so no user text
// is read as FTS syntax.
import { ftsTenantToken } from "@platform/shared";

const CONTENT_COLUMNS = "{title headings text}";

/** Null when the query has no searchable word. */
export function matchExpression(tenantId: string, keywords: readonly string[]): string | null {
  const terms = [...new Set(keywords.flatMap((k) => k.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []))];
  if (terms.length === 0) return null;
  return `tenant_token : ${ftsTenantToken(tenantId)} AND ${CONTENT_COLUMNS} : (${terms.map((t) => `"${t}"`).join(" OR ")})`;
}
