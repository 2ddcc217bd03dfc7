// The key pepper: a deploy without KEY_PEPPER refuses to authenticate with the one 503 code, service_unavailable.
import { AppError } from "@platform/shared";
import { describe, expect, it, vi } from "vitest";
import { pepper } from "./keys.ts";

describe("pepper", () => {
  it("answers 503 service_unavailable outside development when KEY_PEPPER is missing", () => {
    const operatorLog = vi.spyOn(console, "error").mockImplementation(() => {});
    let thrown: unknown;
    try {
      pepper({ ENVIRONMENT: "production" } as Parameters<typeof pepper>[0]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).body.code).toBe("service_unavailable");
    expect((thrown as AppError).status).toBe(503);
    expect(operatorLog).toHaveBeenCalledOnce();
    operatorLog.mockRestore();
  });

  it("uses the secret when set, and the fixed dev pepper only in development", () => {
    expect(pepper({ ENVIRONMENT: "staging", KEY_PEPPER: "s3cret" } as Parameters<typeof pepper>[0])).toBe("s3cret");
    expect(pepper({ ENVIRONMENT: "development" } as Parameters<typeof pepper>[0])).toBe("dev-pepper-not-a-secret");
  });
});
