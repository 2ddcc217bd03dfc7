// Contracts shared by every Worker of the mesh.
export * from "./ai/index.ts";
export * from "./chat-contract.ts";
export * from "./context.ts";
export * from "./envelope.ts";
export * from "./errors.ts";
export * from "./ingest-contract.ts";
export * from "./ingest-files.ts";
export * from "./log.ts";
export * from "./rag-prompt.ts";
export * from "./rpc.ts";
export * from "./service-health.ts";
export * from "./search-contract.ts";
export * from "./sse.ts";
export * from "./tenant.ts";
export * from "./tools-contract.ts";
export * from "./tts-contract.ts";
export * from "./util/index.ts";
