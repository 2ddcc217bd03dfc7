// Structured logs: one JSON line per request and per RPC call. Never prompts, documents or keys.
export interface LogLine {
  kind: "request" | "rpc";
  traceId: string;
  tenantId?: string;
  service: string;
  route: string;
  status: number | "ok" | "error";
  latencyMs: number;
  errorCode?: string;
  model?: string;
  tokensIn?: number;
  tokensOut?: number;
  cache?: "HIT" | "MISS" | "BYPASS";
}

export function log(line: LogLine): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), ...line }));
}
