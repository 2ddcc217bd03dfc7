// Client helpers for the usage and metrics suites: the /v1/usage series of a key's tenant, summed over its intervals,
// and the operator's /v1/admin/usage (JSON or CSV) with the development operator key.
import { call, gatewayUrl } from "./helpers.ts";

export const OPERATOR_KEY = "sk-dev-operator";

export interface RouteStats {
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}
export interface UsageInterval {
  start: string;
  end: string;
  requests: number;
  errors: number;
  errorsByCode: Record<string, number>;
  routes: Record<string, RouteStats>;
  models: Record<string, { requests: number; errors: number; tokensIn: number; tokensOut: number; ttsCharacters: number }>;
  cache: Record<"chat" | "search", { hits: number; lookups: number; hitRate: number | null }>;
  toolCalls: Record<string, number>;
  ttsCharacters: number;
}
export interface UsageSeries {
  tenantId: string;
  granularity: "hour" | "day";
  from: string;
  to: string;
  budgetLeft: { day: number | null; month: number | null };
  series: UsageInterval[];
}

export async function usageSeries(key: string, query = "granularity=hour"): Promise<UsageSeries> {
  const res = await call<UsageSeries>(`/v1/usage?${query}`, { key });
  if (res.status !== 200) throw new Error(`/v1/usage answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.data!;
}

/** Requests, errors per code and per route over every interval of a series (a test may straddle an hour). */
export function totals(series: UsageInterval[]) {
  const routes: Record<string, number> = {};
  const errorsByCode: Record<string, number> = {};
  const toolCalls: Record<string, number> = {};
  let requests = 0;
  let tokensIn = 0;
  let ttsCharacters = 0;
  for (const i of series) {
    requests += i.requests;
    ttsCharacters += i.ttsCharacters;
    for (const [route, r] of Object.entries(i.routes)) routes[route] = (routes[route] ?? 0) + r.requests;
    for (const [code, n] of Object.entries(i.errorsByCode)) errorsByCode[code] = (errorsByCode[code] ?? 0) + n;
    for (const [outcome, n] of Object.entries(i.toolCalls)) toolCalls[outcome] = (toolCalls[outcome] ?? 0) + n;
    for (const m of Object.values(i.models)) tokensIn += m.tokensIn;
  }
  return { requests, routes, errorsByCode, toolCalls, tokensIn, ttsCharacters };
}

export async function adminCsv(query = "granularity=hour&format=csv"): Promise<{ status: number; contentType: string | null; text: string }> {
  const response = await fetch(`${gatewayUrl()}/v1/admin/usage?${query}`, { headers: { authorization: `Bearer ${OPERATOR_KEY}` } });
  return { status: response.status, contentType: response.headers.get("content-type"), text: await response.text() };
}
