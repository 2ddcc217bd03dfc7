// Request bodies: size-limited reading (413 before a large body is buffered), depth-limited JSON parsing (400 before
// deep nesting is parsed) and valibot validation at the edge.
import * as v from "valibot";
import { AppError } from "@platform/shared";

/** Deepest nesting of arrays and objects a body may have. Deeper values overflow the stack of recursive code that
 * walks them later (JSON.stringify, structured clone over RPC, canonical hashing), which is a 500, not an answer. */
export const MAX_JSON_DEPTH = 64;

export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const text = new TextDecoder().decode(await readBody(request, maxBytes, "request body must be a JSON object"));
  if (text.trim() === "") throw new AppError("invalid_request", "request body must be a JSON object");
  if (exceedsDepth(text, MAX_JSON_DEPTH)) throw new AppError("invalid_request", `request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError("invalid_request", `malformed JSON: ${error instanceof Error ? error.message : "parse error"}`);
  }
}

/** The body's bytes, refused with 413 as soon as it is declared or read past `maxBytes`. */
export async function readBody(request: Request, maxBytes: number, missing: string): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) throw new AppError("invalid_request", missing);
  // A declared length within the limit bounds the body (HTTP framing), so it is read in one call, not chunk by chunk.
  if (Number.isSafeInteger(declared) && declared >= 0) {
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
    return bytes;
  }

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
  return concat(chunks, size);
}

export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const result = v.safeParse(schema, input);
  if (!result.success) {
    throw new AppError("invalid_request", "request does not match the schema", { details: v.flatten(result.issues) });
  }
  return result.output;
}

/** Whether JSON text nests deeper than `limit`, counted in one pass over the text (brackets inside strings skipped). */
export function exceedsDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
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
