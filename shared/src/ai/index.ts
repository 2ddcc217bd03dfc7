// The AI path, by concern: types, model policy, AI Gateway option, tokens, shapes, stream metering, the one call.
export * from "./call.ts";
export * from "./chat.ts";
export * from "./embed.ts";
export * from "./gateway-options.ts";
export * from "./meter.ts";
export * from "./models.ts";
export * from "./shapes.ts";
export * from "./tokens.ts";
export * from "./types.ts";
