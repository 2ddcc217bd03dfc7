// Test projects: `unit` runs plain modules in Node; `integration` boots the mesh once and talks HTTP to the gateway.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // The gateway's dev tenants, as its development build compiles them in (services/gateway/src/tenants.ts).
        define: { __DEV_TENANTS__: "true" },
        test: {
          name: "unit",
          include: ["shared/src/**/*.test.ts", "services/*/src/**/*.test.ts", "scripts/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["tests/**/*.test.ts"],
          globalSetup: ["tests/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
