// Who may call a tool: the tenant's tools feature and allow-list (`*` = all), then the key's scopes and the features
// those scopes stand for. Checked before a tool's arguments are even looked at.
import { hasScope, SERVICES, type RequestContext, type ServiceName } from "@platform/shared";
import type { AnyTool } from "./tool.ts";

const isService = (scope: string): scope is ServiceName => (SERVICES as readonly string[]).includes(scope);

/** Why ctx may not call `tool`, or undefined when it may. */
export function permissionProblem(ctx: Pick<RequestContext, "scopes" | "tenant">, tool: Pick<AnyTool, "name" | "scopes">): string | undefined {
  if (!ctx.tenant.features.tools) return "the tools feature is disabled for this tenant";
  const allowed = ctx.tenant.tools.allowed;
  if (!allowed.includes("*") && !allowed.includes(tool.name)) return `tool "${tool.name}" is not allowed for this tenant`;
  for (const scope of tool.scopes) {
    if (!hasScope(ctx, scope)) return `this API key lacks the \`${scope}\` scope that tool "${tool.name}" needs`;
    if (isService(scope) && !ctx.tenant.features[scope]) return `tool "${tool.name}" needs the ${scope} feature, which is disabled for this tenant`;
  }
  return undefined;
}

/** The tools ctx may call, in registry order. */
export function permittedTools<T extends Pick<AnyTool, "name" | "scopes">>(ctx: Pick<RequestContext, "scopes" | "tenant">, tools: readonly T[]): T[] {
  return tools.filter((tool) => permissionProblem(ctx, tool) === undefined);
}
