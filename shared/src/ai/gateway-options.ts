// The AI Gateway option of a call: the tenant's gateway, its cache settings, and metadata naming who called.
import type { AiContext, GatewayOption } from "./types.ts";

/** AI Gateway keeps at most 5 metadata entries a request. */
const MAX_GATEWAY_METADATA = 5;

/** The AI Gateway option for the tenant, or undefined when the tenant has no gateway. */
export function gatewayOption(ctx: AiContext, service: string, extra: Record<string, string | number | boolean> = {}): GatewayOption | undefined {
  const config = ctx.tenant.aiGateway;
  if (!config) return undefined;
  const entries = Object.entries({ tenantId: ctx.tenantId, service, route: ctx.route, ...extra }).slice(0, MAX_GATEWAY_METADATA);
  const option: GatewayOption = { id: config.id, metadata: Object.fromEntries(entries) };
  if (config.skipCache) option.skipCache = true;
  else if (config.cacheTtl !== undefined) option.cacheTtl = config.cacheTtl;
  return option;
}
