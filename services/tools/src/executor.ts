// The tool dispatcher: find the tool, check permission, then input size and schema, run the handler against its
// deadline, cut the result to size, and audit every call whatever its outcome (the hash of the arguments only).
import * as v from "valibot";
import { AppError, sumUsage, TOOL_NAME_PATTERN, ZERO_USAGE, type AuditOutcome, type RequestContext, type TokenUsage, type ToolCallInput, type ToolExecution } from "@platform/shared";
import type { AuditSink } from "./audit.ts";
import { argsHash, fitJson, jsonBytes, withDeadline } from "./guards.ts";
import { permissionProblem } from "./permissions.ts";
import { findTool } from "./registry.ts";
import type { AnyTool, ToolDeps } from "./tool.ts";

/** Everything a call needs besides ctx; `bind` builds the handler's dependencies for one tenant and one tool. */
export interface ExecutorDeps {
  tools: readonly AnyTool[];
  audit: AuditSink;
  bind(ctx: Readonly<RequestContext>, tool: AnyTool, meter: UsageMeter): ToolDeps;
}

/** Adds up the tokens one call spends, whichever service spends them. */
export class UsageMeter {
  private usage: TokenUsage = ZERO_USAGE;

  add(usage: TokenUsage): void {
    this.usage = sumUsage(this.usage, usage);
  }

  addTokens(tokens: number): void {
    const n = Math.max(0, Math.round(tokens));
    this.add({ prompt_tokens: n, completion_tokens: 0, total_tokens: n });
  }

  get total(): TokenUsage {
    return this.usage;
  }
}

export async function executeTool(deps: ExecutorDeps, callerCtx: RequestContext, call: ToolCallInput): Promise<ToolExecution> {
  const started = Date.now();
  const ctx = isolate(callerCtx);
  const args: unknown = call.args ?? {};
  const argsSha256 = await argsHash(args);
  // A model can name anything: only names a tool could have reach the log or the error message.
  const name = TOOL_NAME_PATTERN.test(call.tool) ? call.tool : "(invalid name)";
  const audit = (outcome: AuditOutcome, errorCode: string | null = null) =>
    deps.audit.record({
      tenantId: ctx.tenantId,
      traceId: ctx.traceId,
      keyId: ctx.keyId,
      tool: name,
      argsSha256,
      outcome,
      errorCode,
      route: ctx.route,
      latencyMs: Date.now() - started,
      createdAt: Date.now(),
    });

  const tool = findTool(deps.tools, call.tool);
  if (!tool) {
    await audit("not_found", "not_found");
    throw new AppError("not_found", `tool "${name}" not found`);
  }
  const problem = permissionProblem(ctx, tool);
  if (problem) {
    await audit("denied", "forbidden");
    throw new AppError("forbidden", problem);
  }
  const size = jsonBytes(args);
  if (size > tool.limits.maxInputBytes) {
    await audit("invalid", "payload_too_large");
    throw new AppError("payload_too_large", `arguments of "${tool.name}" are ${size} bytes, over its limit of ${tool.limits.maxInputBytes}`);
  }
  const parsed = v.safeParse(tool.input, args);
  if (!parsed.success) {
    await audit("invalid", "invalid_request");
    throw new AppError("invalid_request", `arguments do not match the schema of "${tool.name}"`, { details: v.flatten(parsed.issues) });
  }

  const meter = new UsageMeter();
  let output: unknown;
  try {
    output = await withDeadline(tool.handler(ctx, parsed.output, deps.bind(ctx, tool, meter)), tool.limits.timeoutMs, `tool "${tool.name}"`);
  } catch (error) {
    const appError = AppError.from(error);
    if (appError.body.code === "internal") console.error(JSON.stringify({ traceId: ctx.traceId, service: "tools", tool: tool.name, error: String(error) }));
    const timedOut = (appError.body.details as { timeout?: boolean } | undefined)?.timeout === true;
    await audit("error", timedOut ? "timeout" : appError.body.code);
    throw appError;
  }
  const fitted = fitJson(output ?? null, tool.limits.maxOutputBytes);
  await audit("ok");
  return { tool: tool.name, result: fitted.value, latencyMs: Date.now() - started, truncated: fitted.truncated, usage: meter.total };
}

/**
 * The context a handler gets: a frozen copy of the caller's, refused when its tenant settings belong to another
 * tenant than its tenantId (a tool never works with another tenant's settings).
 */
export function isolate(ctx: RequestContext): Readonly<RequestContext> {
  if (ctx.tenant.id !== ctx.tenantId) throw new AppError("forbidden", "the request context's tenant settings do not match its tenant");
  return deepFreeze(structuredClone(ctx));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
