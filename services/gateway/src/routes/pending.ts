// Routes whose service work has not landed yet: they authenticate and validate the body, then answer 501.
import { AppError } from "@platform/shared";
import { readJson } from "../body.ts";
import { caller } from "./guards.ts";
import type { GatewayRequest } from "../request.ts";

export async function pending(request: GatewayRequest): Promise<never> {
  if (request.method === "POST") await readJson(request, caller(request).tenant.limits.maxBodyBytes);
  throw new AppError("not_enabled", `${request.method} ${request.route} is not available in this version yet`);
}
