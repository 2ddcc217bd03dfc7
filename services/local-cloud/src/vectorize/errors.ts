// Vectorize-style errors: "VECTOR_<OPERATION>_ERROR: <message naming the limit or rule>"; only the message crosses RPC.

export type Operation = "INSERT" | "UPSERT" | "QUERY" | "GET" | "DELETE";

export function vectorizeError(op: Operation, message: string): Error {
  return new Error(`VECTOR_${op}_ERROR: ${message}`);
}
