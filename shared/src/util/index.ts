// Small helpers written once for every Worker: groups, hashing, stable JSON, the plain-object check, timeouts, text.
export * from "./groups.ts";
export * from "./hash.ts";
export * from "./is-record.ts";
export * from "./stable-json.ts";
export * from "./text.ts";
export * from "./timeout.ts";
