// Billing export: RFC 4180 CSV (CRLF line ends, header row, fields quoted when needed), one row per tenant, interval
// and model. Requests without a model sit on a row with an empty model, so each tenant's rows sum to its own usage.
import type { ModelTokens, UsageInterval } from "./series.ts";

export const CSV_HEADER = ["interval_start", "interval_end", "tenant_id", "model", "requests", "errors", "tokens_in", "tokens_out", "tts_characters"];

export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function usageCsv(series: Map<string, UsageInterval[]>): string {
  const lines = [CSV_HEADER.join(",")];
  for (const [tenantId, intervals] of [...series].sort(([a], [b]) => a.localeCompare(b))) {
    for (const entry of intervals) {
      if (entry.requests === 0) continue;
      const rows = Object.entries(entry.models).sort(([a], [b]) => a.localeCompare(b));
      const sum = (field: keyof ModelTokens) => rows.reduce((total, [, m]) => total + m[field], 0);
      const rest: ModelTokens = { requests: entry.requests - sum("requests"), errors: entry.errors - sum("errors"), tokensIn: 0, tokensOut: 0, ttsCharacters: entry.ttsCharacters - sum("ttsCharacters") };
      if (rest.requests > 0) rows.unshift(["", rest]);
      for (const [model, m] of rows) {
        const cells = [entry.start, entry.end, tenantId, model, m.requests, m.errors, m.tokensIn, m.tokensOut, m.ttsCharacters];
        lines.push(cells.map(csvField).join(","));
      }
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}
