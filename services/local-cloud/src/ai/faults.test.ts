// Unit tests of the AI twin's fault markers: parsing a model name and what each fault does.
import { describe, expect, it } from "vitest";
import { parseFault, withFault } from "./faults.ts";

describe("parseFault", () => {
  it("reads the marker and the model it stands for", () => {
    expect(parseFault("@cf/baai/bge-base-en-v1.5-timeout")).toEqual({ fault: "timeout", model: "@cf/baai/bge-base-en-v1.5" });
    expect(parseFault("@cf/meta/llama-unavailable-instruct")).toEqual({ fault: "unavailable", model: "@cf/meta/llama-instruct" });
    expect(parseFault("@cf/meta/llama-3.1-8b-instruct")).toEqual({ model: "@cf/meta/llama-3.1-8b-instruct" });
  });
});

describe("withFault", () => {
  it("throws in Workers AI's wording for unavailable", async () => {
    await expect(withFault("unavailable", "m-unavailable", () => ({ response: "x" }))).rejects.toThrow("AiError: 5007: model unavailable (m-unavailable)");
  });

  it("drops the payload for malformed, keeping usage", async () => {
    await expect(withFault("malformed", "m", () => ({ response: "x", usage: { total_tokens: 1 } }))).resolves.toEqual({ usage: { total_tokens: 1 } });
  });

  it("answers as the model does without a fault", async () => {
    await expect(withFault(undefined, "m", () => ({ response: "x" }))).resolves.toEqual({ response: "x" });
  });
});
