// The shared small helpers: SHA-256 hex, stable JSON, the plain-object check, timeouts that clear their timer, text.
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { sha256Hex } from "./hash.ts";
import { isRecord } from "./is-record.ts";
import { stableJson } from "./stable-json.ts";
import { stem, STOPWORDS, stopwordsWith, words } from "./text.ts";
import { TimeoutError, withTimeout } from "./timeout.ts";

describe("sha256Hex", () => {
  it("gives the lowercase hex digest", async () => {
    expect(await sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("stableJson", () => {
  it("sorts keys at every level and drops undefined properties", () => {
    expect(stableJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(stableJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });

  it("writes undefined in arrays and at the top as null, as JSON.stringify does in arrays", () => {
    expect(stableJson([1, undefined])).toBe("[1,null]");
    expect(stableJson(undefined)).toBe("null");
  });
});

describe("isRecord", () => {
  it("holds for plain objects only", () => {
    expect(isRecord({})).toBe(true);
    expect([null, [], "x", 1, undefined].some(isRecord)).toBe(false);
  });
});

describe("withTimeout", () => {
  it("settles like the work when it is in time and leaves no timer behind", async () => {
    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    expect(await withTimeout(Promise.resolve(1), 50)).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with a TimeoutError, or the error asked for, once the time has passed", async () => {
    await expect(withTimeout(new Promise(() => {}), 5)).rejects.toBeInstanceOf(TimeoutError);
    await expect(withTimeout(new Promise(() => {}), 5, () => new Error("slow tool"))).rejects.toThrow("slow tool");
  });
});

describe("text", () => {
  it("splits lowercase words of letters and digits", () => {
    expect(words("Reset the Wi-Fi 2FA code!")).toEqual(["reset", "the", "wi", "fi", "2fa", "code"]);
  });

  it("stems with Porter's algorithm and keeps words with other characters", () => {
    expect(stem("resetting")).toBe("reset");
    expect(stem("inhibition")).toBe(stem("inhibits"));
    expect(stem("policies")).toBe(stem("policy"));
    expect(stem("2fa")).toBe("2fa");
    expect(stem("café")).toBe("café");
  });

  it("adds a use's own filler words to the shared stopwords", () => {
    const set = stopwordsWith("please vs");
    expect(set.has("the") && set.has("please") && set.has("vs")).toBe(true);
    expect(STOPWORDS.has("please")).toBe(false);
  });
});
