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
  /** OpenTelemetry GenAI attributes, on the line of a model call (shared/src/ai/call.ts). */
  "gen_ai.operation.name"?: string;
  "gen_ai.provider.name"?: string;
  "gen_ai.request.model"?: string;
  "gen_ai.usage.input_tokens"?: number;
  "gen_ai.usage.output_tokens"?: number;
}

export function log(line: LogLine): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), ...line }));
}
