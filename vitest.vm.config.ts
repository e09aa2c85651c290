import { defineConfig } from "vitest/config";

// The VM tier: tests that need a lab machine (qemu) or Docker. One worker, modules shared across
// files: every test file reuses the same lab machine, which takes seconds to start under TCG.
export default defineConfig({
  test: {
    include: ["test/**/*.vm.test.ts"],
    globalSetup: ["test/support/lab-image-setup.ts"],
    pool: "forks",
    maxWorkers: 1,
    isolate: false,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
