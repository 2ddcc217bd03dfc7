// Test fixtures for the tools service's unit tests: request contexts, a fake model, fake search, ingest and KV, and an
// in-memory audit sink. Used only by *.test.ts.
import * as v from "valibot";
import { TenantConfigSchema, tenantSettings, type AiRunner, type RequestContext, type Scope, type TenantConfigInput } from "@platform/shared";
import type { AuditRecord, AuditSink } from "./audit.ts";
import { binder, type IngestRpc, type SearchRpc } from "./bind.ts";
import type { ExecutorDeps } from "./executor.ts";
import type { KvReader } from "./tenant-config.ts";
import { TOOLS } from "./tools/index.ts";
import type { AnyTool } from "./tool.ts";

export function context(overrides: Partial<TenantConfigInput> = {}, scopes: Scope[] = ["*"], tenantId = "t1"): RequestContext {
  const config = v.parse(TenantConfigSchema, { id: tenantId, name: tenantId, keys: [], models: { chat: "@cf/meta/llama-3.1-8b-instruct-fast" }, ...overrides });
  return { tenantId, keyId: `key-${tenantId}`, scopes, traceId: "trace-1234", route: "/v1/tools/execute", tenant: tenantSettings(config) };
}

export function memoryAudit(): AuditSink & { entries: AuditRecord[] } {
  const entries: AuditRecord[] = [];
  return { entries, record: async (entry) => void entries.push(entry) };
}

export interface Fakes {
  ai?: AiRunner;
  search?: SearchRpc;
  ingest?: IngestRpc;
  kv?: KvReader;
}

export const echoAi = (answer: (inputs: Record<string, unknown>) => unknown = () => ({ response: "a summary", usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 } })) => {
  const calls: Record<string, unknown>[] = [];
  const ai: AiRunner = {
    async run(_model, inputs) {
      calls.push(inputs);
      return answer(inputs);
    },
  };
  return { ai, calls };
};

const unused = (what: string) => () => Promise.reject(new Error(`${what} not faked`));

export function executorDeps(fakes: Fakes = {}, tools: readonly AnyTool[] = TOOLS): ExecutorDeps & { audit: ReturnType<typeof memoryAudit> } {
  const audit = memoryAudit();
  const ports = {
    ai: fakes.ai ?? echoAi().ai,
    search: fakes.search ?? { retrieve: unused("search") },
    ingest: fakes.ingest ?? { ingest: unused("ingest") },
    kv: fakes.kv ?? { get: async () => null },
  };
  return { tools, audit, bind: binder(ports) };
}
