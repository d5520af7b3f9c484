import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration and e2e tests start real servers and subprocesses: give them room,
    // but keep them bounded so a hang fails instead of eating the CI budget.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // CI retries a failing test once, and the JSON report still marks it as retried.
    // This is a stopgap for two known timing flakes seen only under Node 24 in clean-clone runs:
    // faults.test.ts, a manual redrive that ends on an error, and dlq.test.ts, a resumed redrive
    // that exited 0 with 10 messages still in the DLQ. Both are reported as follow-ups.
    // Remove it once they are fixed.
    retry: process.env.CI ? 1 : 0,
    pool: "forks",
    maxWorkers: 2,
    // In CI also write a JSON report, from which .ci/run prints a "N passed, N failed" line.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    outputFile: { json: process.env.SQSCTL_TEST_REPORT ?? "test-results/vitest.json" },
  },
});
