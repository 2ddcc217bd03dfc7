// MP3 parts: what to drop at the start of each so frames concatenate cleanly (ID3v2 tags, Xing/Info/VBRI frames).
import { ascii } from "./sniff.ts";

const BITRATES_V1_L3 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const BITRATES_V2_L3 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
const SAMPLE_RATES: Record<number, number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };

/**
 * Leading bytes of one part that must not reach the joined file: its ID3v2 tag and a Xing/Info/VBRI frame (a silent
 * frame whose frame count and seek table describe that part alone). Returns "more" when `head` is too short to say.
 */
export function mp3LeadToDrop(head: Uint8Array): number | "more" {
  let offset = 0;
  if (ascii(head, 0, 3) === "ID3") {
    if (head.length < 10) return "more";
    const size = ((head[6]! & 0x7f) << 21) | ((head[7]! & 0x7f) << 14) | ((head[8]! & 0x7f) << 7) | (head[9]! & 0x7f);
    offset = 10 + size + (head[5]! & 0x10 ? 10 : 0);
  }
  if (head.length < offset + 4) return "more";
  const frame = frameLength(head.subarray(offset, offset + 4));
  if (frame === undefined) return offset;
  // The tag sits after the side information: 36 bytes in at most, or 32 after the header for VBRI.
  if (head.length < offset + 40) return "more";
  const info = ascii(head, offset + 36, 4);
  const tagged = [13, 21, 36].some((at) => ["Xing", "Info"].includes(ascii(head, offset + at, 4))) || info === "VBRI";
  return tagged ? offset + frame : offset;
}

/** The length in bytes of an MPEG Layer III frame from its 4-byte header, or undefined if it is not one. */
export function frameLength(header: Uint8Array): number | undefined {
  if (header.length < 4 || header[0] !== 0xff || (header[1]! & 0xe0) !== 0xe0) return undefined;
  const version = (header[1]! >> 3) & 0x03; // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
  const layer = (header[1]! >> 1) & 0x03; // 1 = Layer III
  if (version === 1 || layer !== 1) return undefined;
  const bitrate = (version === 3 ? BITRATES_V1_L3 : BITRATES_V2_L3)[header[2]! >> 4];
  const sampleRate = SAMPLE_RATES[version]?.[(header[2]! >> 2) & 0x03];
  if (!bitrate || !sampleRate) return undefined;
  const padding = (header[2]! >> 1) & 0x01;
  const factor = version === 3 ? 144 : 72;
  return Math.floor((factor * bitrate * 1000) / sampleRate) + padding;
}
