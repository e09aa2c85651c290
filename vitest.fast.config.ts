import { defineConfig } from "vitest/config";

// The fast tier: parsers, the kit, reports, workloads on the host, and every grader proof
// replayed from recorded transcripts. No qemu, no lab image, no Docker.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/**/*.vm.test.ts", "**/node_modules/**"],
    testTimeout: 60_000,
  },
});
