// Audio containers: sniffing, WAV parsing and joining, MP3 frame lengths and what a part must drop before joining.
import { describe, expect, it } from "vitest";
import { MP3_FRAME_BYTES, OGG_OPUS, mp3, wav } from "../testing.ts";
import { mp3LeadToDrop, frameLength } from "./mp3.ts";
import { sniff } from "./sniff.ts";
import { joinWav, parseWav } from "./wav.ts";

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (s: string) => new TextEncoder().encode(s);

describe("sniff", () => {
  it("recognises WAV, MP3 (tagged or bare), Ogg, FLAC and AAC", () => {
    expect(sniff(wav(10))).toBe("wav");
    expect(sniff(mp3(1, 0, { id3: true }))).toBe("mp3");
    expect(sniff(mp3(1))).toBe("mp3");
    expect(sniff(OGG_OPUS)).toBe("opus");
    expect(sniff(text("fLaC\0\0\0\""))).toBe("flac");
    expect(sniff(bytes(0xff, 0xf1, 0x50, 0x80))).toBe("aac");
  });

  it("recognises nothing in text, JSON or too few bytes", () => {
    expect(sniff(text('{"error":"x"}'))).toBeUndefined();
    expect(sniff(text("RIFF"))).toBeUndefined();
    expect(sniff(bytes())).toBeUndefined();
  });
});

describe("WAV", () => {
  it("parses the format and the PCM data", () => {
    const part = parseWav(wav(100, 24_000));
    expect(part.data.length).toBe(200);
    expect(new DataView(part.fmt.buffer, part.fmt.byteOffset).getUint32(4, true)).toBe(24_000);
  });

  it("takes the rest of the file as data when a streamed header carries a placeholder size", () => {
    const file = wav(50);
    new DataView(file.buffer).setUint32(40, 0xffffffff, true);
    expect(parseWav(file).data.length).toBe(100);
    new DataView(file.buffer).setUint32(40, 0, true);
    expect(parseWav(file).data.length).toBe(100);
  });

  it("skips chunks it does not know, such as LIST", () => {
    const plain = wav(4);
    const list = new Uint8Array([...text("LIST"), 3, 0, 0, 0, 1, 2, 3, 0]);
    const file = new Uint8Array([...plain.subarray(0, 36), ...list, ...plain.subarray(36)]);
    expect(parseWav(file).data).toEqual(plain.subarray(44));
  });

  it("joins parts under one header whose sizes match the joined file", () => {
    const chunks = joinWav([wav(100, 16_000, 0), wav(50, 16_000, 100)]);
    const joined = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    chunks.reduce((offset, c) => (joined.set(c, offset), offset + c.length), 0);
    const view = new DataView(joined.buffer);
    expect(view.getUint32(4, true)).toBe(joined.length - 8);
    expect(view.getUint32(40, true)).toBe(300);
    expect(joined.length).toBe(44 + 300);
    // The ramp runs on across the seam: the second part's samples follow the first's.
    expect(view.getInt16(44 + 99 * 2, true)).toBe(99);
    expect(view.getInt16(44 + 100 * 2, true)).toBe(100);
  });

  it("refuses to join parts in different formats, and files that are not WAV", () => {
    expect(() => joinWav([wav(10, 16_000), wav(10, 24_000)])).toThrow(/different formats/);
    expect(() => parseWav(mp3(1))).toThrow(/not a RIFF/);
  });
});

describe("MP3", () => {
  it("computes Layer III frame lengths from the header", () => {
    expect(frameLength(bytes(0xff, 0xfb, 0x90, 0x64))).toBe(MP3_FRAME_BYTES);
    expect(frameLength(bytes(0xff, 0xfb, 0x92, 0x64))).toBe(MP3_FRAME_BYTES + 1); // padded
    expect(frameLength(bytes(0xff, 0xf3, 0x48, 0xc4))).toBe(144); // MPEG-2, 32 kbit/s, 16 kHz: 72 * 32000 / 16000
    expect(frameLength(bytes(0x49, 0x44, 0x33, 0x04))).toBeUndefined();
  });

  it("drops a part's ID3v2 tag and its Xing/Info frame, and nothing from plain frames", () => {
    expect(mp3LeadToDrop(mp3(2, 0x11, { id3: true, xing: true }))).toBe(30 + MP3_FRAME_BYTES);
    expect(mp3LeadToDrop(mp3(2, 0x11, { id3: true }))).toBe(30);
    expect(mp3LeadToDrop(mp3(2, 0x11, { xing: true }))).toBe(MP3_FRAME_BYTES);
    expect(mp3LeadToDrop(mp3(2, 0x11))).toBe(0);
  });

  it("asks for more bytes while the head is too short to decide", () => {
    expect(mp3LeadToDrop(mp3(1, 0x11, { id3: true }).subarray(0, 8))).toBe("more");
    expect(mp3LeadToDrop(mp3(1, 0x11).subarray(0, 20))).toBe("more");
  });
});
