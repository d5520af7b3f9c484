import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration and e2e tests start real servers and subprocesses: give them room,
    // but keep them bounded so a hang fails instead of eating the CI budget.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
    // In CI also write a JSON report, from which .ci/run prints a "N passed, N failed" line.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: process.env.SQSCTL_TEST_REPORT ?? "test-results/vitest.json" },
  },
});
