// Tools service entry: the permissioned tool registry over RPC (list, execute) and the tenant's audit log.
import { probes, rpcClient, type AuditOutcome, type AuditPage, type AuditQuery, type PlatformCallRecord, type RequestContext, type ToolCallInput, type ToolExecution, type ToolList, meteredAi } from "@platform/shared";
import { serviceEntrypoint } from "@platform/shared/service";
import { version } from "../package.json";
import { auditPage, d1AuditSink } from "./audit.ts";
import { binder } from "./bind.ts";
import { executeTool, type ExecutorDeps } from "./executor.ts";
import { argsHash } from "./guards.ts";
import { permittedTools } from "./permissions.ts";
import { toolInfo } from "./registry.ts";
import { TOOLS } from "./tools/index.ts";

export class ToolsService extends serviceEntrypoint<ToolsEnv>({
  name: "tools",
  version,
  probes: (env, ctx) => ({ audit: probes.d1(env.AUDIT_DB, ["audit_log"]), kv: probes.kv(env.TENANT_KV, `${ctx.tenantId}:health`), ai: probes.ai(env.AI as unknown as Ai) }),
}) {
  /** The tools this caller may use (tenant allow-list and key scopes), with their arguments as JSON Schema. */
  async list(ctx: RequestContext): Promise<ToolList> {
    return { tools: permittedTools(ctx, TOOLS).map(toolInfo) };
  }

  /**
   * Runs one tool call, audited: not_found (404), forbidden (403, checked before the arguments), payload_too_large
   * (413), invalid_request (400, valibot's flattened issues), or the tool's own error.
   */
  async execute(ctx: RequestContext, call: ToolCallInput): Promise<ToolExecution> {
    return executeTool(executor(this.env), ctx, call);
  }

  /**
   * Audits a call the gateway ran itself (an MCP call of retrieve, search or ingest): the same row as a registry
   * tool's, the arguments' hash only.
   */
  async recordCall(ctx: RequestContext, call: PlatformCallRecord): Promise<void> {
    const outcome: AuditOutcome = call.errorCode === null ? "ok" : call.errorCode === "forbidden" ? "denied" : call.errorCode === "invalid_request" ? "invalid" : "error";
    await d1AuditSink(this.env.AUDIT_DB).record({
      tenantId: ctx.tenantId,
      traceId: ctx.traceId,
      keyId: ctx.keyId,
      tool: call.tool,
      argsSha256: await argsHash(call.args ?? {}),
      outcome,
      errorCode: call.errorCode,
      route: ctx.route,
      latencyMs: call.latencyMs,
      createdAt: Date.now(),
    });
  }

  /** The caller's tenant's audit entries, newest first, optionally for one tool or outcome. */
  async audit(ctx: RequestContext, query: AuditQuery = {}): Promise<AuditPage> {
    return auditPage(this.env.AUDIT_DB, ctx.tenantId, query);
  }
}

function executor(env: ToolsEnv): ExecutorDeps {
  return {
    tools: TOOLS,
    audit: d1AuditSink(env.AUDIT_DB),
    bind: binder({
      // Workers AI in staging and production, the local twin (same interface) in development.
      ai: meteredAi(env),
      search: rpcClient(env.SEARCH, "search"),
      ingest: rpcClient(env.INGEST, "ingest"),
      kv: env.TENANT_KV,
    }),
  };
}

export default ToolsService;
