import { defineConfig } from "vitest/config";

// `npm test [exercises/<id>]`: grades the student's copy. One worker so that every exercise
// is graded in the same lab machine, booted once.
export default defineConfig({
  test: {
    include: ["exercises/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 1,
    isolate: false,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 1_800_000,
  },
});
