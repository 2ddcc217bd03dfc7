// Test projects: `unit` runs plain modules in Node; `integration` boots the mesh once and talks HTTP to the gateway.
// No retries: every integration file has its own tenant (tests/tenants) and polls to a deadline, never sleeps.
import { configDefaults, defineConfig } from "vitest/config";

// Against staging (GATEWAY_URL) the twins' own conformance suites have nothing to test.
const staging = Boolean(process.env.GATEWAY_URL);

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
          exclude: staging ? [...configDefaults.exclude, "tests/twins/**"] : configDefaults.exclude,
          globalSetup: ["tests/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
