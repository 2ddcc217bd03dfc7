// Contracts shared by every Worker of the mesh.
export * from "./context.ts";
export * from "./envelope.ts";
export * from "./errors.ts";
export * from "./log.ts";
export * from "./rpc.ts";
export * from "./sse.ts";
export * from "./tenant.ts";
