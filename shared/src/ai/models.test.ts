// Model policy: the tenant's model per kind of call, the allow-list, OpenAI's embedding names.
import { describe, expect, it } from "vitest";
import { chooseModel } from "./models.ts";
import { AppError } from "../errors.ts";
import { context, OTHER, PRIMARY } from "./testing.ts";

describe("chooseModel", () => {
  it("uses the tenant's model for the route when the request names none", () => {
    const { tenant } = context();
    expect(chooseModel(tenant, "chat")).toBe(PRIMARY);
    expect(chooseModel(tenant, "embedding")).toBe("@cf/baai/bge-base-en-v1.5");
  });

  it("accepts a requested model from the allow-list", () => {
    expect(chooseModel(context().tenant, "chat", OTHER)).toBe(OTHER);
  });

  it("rejects a model outside the allow-list with invalid_request listing the allowed ones", () => {
    const error = (() => {
      try {
        chooseModel(context().tenant, "chat", "@cf/some/other-model");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    expect((error as AppError).body.message).toContain(OTHER);
    expect((error as AppError).body.details).toMatchObject({ nested: { model: [expect.any(String)] }, allowed: [PRIMARY, OTHER] });
  });

  it("maps OpenAI embedding names to the tenant's embedding model", () => {
    expect(chooseModel(context().tenant, "embedding", "text-embedding-3-small")).toBe("@cf/baai/bge-base-en-v1.5");
    expect(() => chooseModel(context().tenant, "embedding", PRIMARY)).toThrow(AppError);
  });

  it("takes the model the TTS planner chose, and allows rerank only the tenant's reranker", () => {
    const { tenant } = context();
    expect(chooseModel(tenant, "tts", "@cf/deepgram/aura-1")).toBe("@cf/deepgram/aura-1");
    expect(chooseModel(tenant, "tts")).toBe("@cf/myshell-ai/melotts");
    expect(() => chooseModel(tenant, "rerank", "@cf/other/reranker")).toThrow(AppError);
  });
});
