import { defineConfig } from "vitest/config";

// One worker, modules shared across files: every test file reuses the same lab machine,
// which takes seconds to boot under TCG.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/lab-image-setup.ts"],
    pool: "forks",
    maxWorkers: 1,
    isolate: false,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
