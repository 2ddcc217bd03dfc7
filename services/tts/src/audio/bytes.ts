// Byte stream helpers: look at a stream's first bytes without losing them, read a stream whole, concatenate.

export type AudioSource = ReadableStream<Uint8Array> | Uint8Array;

export interface Peeked {
  /** At least `min` bytes, unless the stream ended sooner. */
  head: Uint8Array;
  /** The whole stream again, head included. */
  stream: ReadableStream<Uint8Array>;
}

/** Reads the first `min` bytes (or all, if fewer) and gives back a stream that still starts at byte 0. */
export async function peek(source: AudioSource, min: number): Promise<Peeked> {
  if (source instanceof Uint8Array) return { head: source, stream: fromBytes(source) };
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < min) {
    const next = await reader.read();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    size += next.value.byteLength;
  }
  const head = concat(chunks);
  return { head, stream: prepend(head, reader, done) };
}

/** A stream of `head` followed by whatever `reader` still holds. */
export function prepend(head: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>, done = false): ReadableStream<Uint8Array> {
  let sentHead = head.length === 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentHead) {
        sentHead = true;
        controller.enqueue(head);
        return;
      }
      if (done) return controller.close();
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

export function fromBytes(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
}

export async function readAll(source: AudioSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const next = await reader.read();
    if (next.done) return concat(chunks);
    chunks.push(next.value);
  }
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((sum, c) => sum + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

export function fromBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
