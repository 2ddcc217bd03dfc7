// The AI Gateway option: gateway id, cache settings, metadata, and that every call carries it.
import { describe, expect, it } from "vitest";
import { gatewayOption } from "./gateway-options.ts";
import { runChat } from "./chat.ts";
import { context, fakeAi, quiet } from "./testing.ts";

describe("gatewayOption", () => {
  it("names the gateway and tags the call with tenant, service and route", () => {
    expect(gatewayOption(context(), "chat")).toEqual({ id: "gw", metadata: { tenantId: "t1", service: "chat", route: "/v1/chat" }, cacheTtl: 600 });
  });

  it("asks to skip the gateway cache when the tenant says so", () => {
    expect(gatewayOption(context({ aiGateway: { id: "gw", skipCache: true, cacheTtl: 60 } }), "chat")).toEqual({
      id: "gw",
      metadata: { tenantId: "t1", service: "chat", route: "/v1/chat" },
      skipCache: true,
    });
  });

  it("keeps at most 5 metadata entries", () => {
    const option = gatewayOption(context(), "chat", { a: 1, b: true, c: "x", d: 4 });
    expect(Object.keys(option!.metadata)).toEqual(["tenantId", "service", "route", "a", "b"]);
  });

  it("is absent for a tenant without an AI Gateway, and the call omits it", async () => {
    const ctx = context({ aiGateway: undefined });
    expect(gatewayOption(ctx, "chat")).toBeUndefined();
    const { ai, calls } = fakeAi(() => ({ response: "ok" }));
    quiet();
    await runChat({ ai, ctx, service: "chat" }, { messages: [{ role: "user", content: "hi" }] });
    expect(calls[0]!.options).toEqual({});
  });

  it("is passed on every model call", async () => {
    const { ai, calls } = fakeAi(() => ({ response: "ok" }));
    quiet();
    await runChat({ ai, ctx: context(), service: "chat" }, { messages: [{ role: "user", content: "hi" }] });
    expect(calls[0]!.options).toEqual({ gateway: { id: "gw", metadata: { tenantId: "t1", service: "chat", route: "/v1/chat" }, cacheTtl: 600 } });
  });
});
