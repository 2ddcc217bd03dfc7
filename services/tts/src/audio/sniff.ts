// Tells an audio container from its first bytes, so audio is labelled by what it is, not by what was asked for.
import type { TtsFormat } from "@platform/shared";

/** Bytes needed to decide (an ID3v2 tag is recognised from its first three). */
export const SNIFF_BYTES = 12;

export type Container = TtsFormat | "flac" | "aac";

export function sniff(head: Uint8Array): Container | undefined {
  if (ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 4) === "WAVE") return "wav";
  if (ascii(head, 0, 3) === "ID3") return "mp3";
  // Ogg carries Opus (what providers send) or Vorbis; both are audio/ogg.
  if (ascii(head, 0, 4) === "OggS") return "opus";
  if (ascii(head, 0, 4) === "fLaC") return "flac";
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0) {
    // Frame sync: layer bits 00 are AAC in ADTS, anything else is an MPEG audio layer.
    return ((head[1]! >> 1) & 0x03) === 0 ? "aac" : "mp3";
  }
  return undefined;
}

export function ascii(bytes: Uint8Array, offset: number, length: number): string {
  if (bytes.length < offset + length) return "";
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}
