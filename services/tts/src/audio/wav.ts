// WAV (RIFF/WAVE) parts: reads the format and PCM data of each, and joins them under one correct header.
import { ascii } from "./sniff.ts";

export interface WavPart {
  /** The `fmt ` chunk's body: codec, channels, sample rate, byte rate, block align, bits per sample. */
  fmt: Uint8Array;
  data: Uint8Array;
}

export function parseWav(bytes: Uint8Array): WavPart {
  if (ascii(bytes, 0, 4) !== "RIFF" || ascii(bytes, 8, 4) !== "WAVE") throw new Error("not a RIFF/WAVE file");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: Uint8Array | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = ascii(bytes, offset, 4);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    if (id === "fmt ") fmt = bytes.slice(body, body + size);
    if (id === "data") {
      if (!fmt) throw new Error("WAV data chunk before its fmt chunk");
      // Streamed WAV often carries a placeholder size (0 or 0xFFFFFFFF): the data is then the rest of the file.
      const end = size === 0 || body + size > bytes.length ? bytes.length : body + size;
      return { fmt, data: bytes.subarray(body, end) };
    }
    offset = body + size + (size % 2);
  }
  throw new Error("WAV file without a data chunk");
}

/** A canonical header (RIFF, fmt, data) for `dataBytes` bytes of audio in the format `fmt`. */
export function wavHeader(fmt: Uint8Array, dataBytes: number): Uint8Array {
  const header = new Uint8Array(12 + 8 + fmt.length + 8);
  const view = new DataView(header.buffer);
  const put = (offset: number, text: string) => [...text].forEach((ch, i) => (header[offset + i] = ch.charCodeAt(0)));
  put(0, "RIFF");
  view.setUint32(4, header.length - 8 + dataBytes, true);
  put(8, "WAVE");
  put(12, "fmt ");
  view.setUint32(16, fmt.length, true);
  header.set(fmt, 20);
  put(20 + fmt.length, "data");
  view.setUint32(24 + fmt.length, dataBytes, true);
  return header;
}

/** Joins WAV files of one format: the header first, then every part's PCM data, in order. */
export function joinWav(files: Uint8Array[]): Uint8Array[] {
  const parts = files.map(parseWav);
  const first = parts[0];
  if (!first) throw new Error("no WAV parts to join");
  for (const part of parts) {
    if (!sameBytes(part.fmt, first.fmt)) throw new Error("the provider returned WAV parts in different formats");
  }
  const dataBytes = parts.reduce((sum, p) => sum + p.data.length, 0);
  return [wavHeader(first.fmt, dataBytes), ...parts.map((p) => p.data)];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
