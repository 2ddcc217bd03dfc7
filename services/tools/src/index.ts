// Tools service entry: the permissioned tool registry over RPC (list, execute) and the tenant's audit log.
import { WorkerEntrypoint } from "cloudflare:workers";
import { rpcCall, type AiRunner, type AuditPage, type AuditQuery, type RequestContext, type ServiceHealth, type ToolCallInput, type ToolExecution, type ToolList } from "@platform/shared";
import { auditPage, d1AuditSink } from "./audit.ts";
import { binder } from "./bind.ts";
import { executeTool, type ExecutorDeps } from "./executor.ts";
import { permittedTools } from "./permissions.ts";
import { toolInfo } from "./registry.ts";
import { TOOLS } from "./tools/index.ts";

export class ToolsService extends WorkerEntrypoint<ToolsEnv> {
  async health(ctx: RequestContext): Promise<ServiceHealth> {
    return rpcCall("tools", "health", ctx, async () => ({ service: "tools", ok: true, version: "0.2.0" }));
  }

  /** The tools this caller may use (tenant allow-list and key scopes), with their arguments as JSON Schema. */
  async list(ctx: RequestContext): Promise<ToolList> {
    return rpcCall("tools", "list", ctx, async () => ({ tools: permittedTools(ctx, TOOLS).map(toolInfo) }));
  }

  /**
   * Runs one tool call, audited: not_found (404), forbidden (403, checked before the arguments), payload_too_large
   * (413), invalid_request (400, valibot's flattened issues), or the tool's own error.
   */
  async execute(ctx: RequestContext, call: ToolCallInput): Promise<ToolExecution> {
    return rpcCall("tools", "execute", ctx, () => executeTool(executor(this.env), ctx, call));
  }

  /** The caller's tenant's audit entries, newest first, optionally for one tool or outcome. */
  async audit(ctx: RequestContext, query: AuditQuery = {}): Promise<AuditPage> {
    return rpcCall("tools", "audit", ctx, () => auditPage(this.env.AUDIT_DB, ctx.tenantId, query));
  }
}

function executor(env: ToolsEnv): ExecutorDeps {
  return {
    tools: TOOLS,
    audit: d1AuditSink(env.AUDIT_DB),
    bind: binder({
      // Workers AI in staging and production, the local twin (same interface) in development.
      ai: env.AI as Ai as AiRunner,
      search: env.SEARCH,
      ingest: env.INGEST,
      kv: env.TENANT_KV,
    }),
  };
}

export default ToolsService;
