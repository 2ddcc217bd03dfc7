// Request bodies: size-limited JSON reading (413 before a large body is buffered) and valibot validation at the edge.
import * as v from "valibot";
import { AppError } from "@platform/shared";

export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) throw new AppError("invalid_request", "request body must be a JSON object");

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const text = new TextDecoder().decode(concat(chunks, size));
  if (text.trim() === "") throw new AppError("invalid_request", "request body must be a JSON object");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("invalid_request", `malformed JSON: ${error instanceof Error ? error.message : "parse error"}`);
  }
}

export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (!result.success) {
    throw new AppError("invalid_request", "request does not match the schema", { details: v.flatten(result.issues) });
  }
  return result.output;
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `request body exceeds this tenant's limit of ${maxBytes} bytes`);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
