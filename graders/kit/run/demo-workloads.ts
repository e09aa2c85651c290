// Workloads a student can point a script at with `bpflab run --workload <name>`, like the
// lab's menu program: each draws a fresh, modest plan and says what it will do.
import { contender } from "../workloads/contender.ts";
import { kprobeme } from "../workloads/kprobeme.ts";
import { mapper } from "../workloads/mapper.ts";
import { unlinker } from "../workloads/unlinker.ts";
import type { WorkloadLaunch } from "../workloads/workload.ts";
import { writer } from "../workloads/writer.ts";
import type { Random } from "./random.ts";

export interface DemoWorkload {
  describe: string;
  launches(random: Random): WorkloadLaunch[];
}

export const demoWorkloads: Record<string, DemoWorkload> = {
  unlinker: {
    describe: "creates and unlinks a few files under /tmp/demo (comm: unlinker)",
    launches: (random) => [
      unlinker.launch({
        comm: "unlinker",
        steps: Array.from({ length: 5 }, () => ({ op: "unlink" as const, dir: `/tmp/demo/${random.word(5)}`, name: `${random.word(8)}.txt` })),
      }),
    ],
  },
  writer: {
    describe: "writes 5 buffers of random sizes to /tmp/demo/out (comm: writer)",
    launches: (random) => [
      writer.launch({
        comm: "writer",
        steps: [{ op: "file", path: "/tmp/demo/out" }, ...Array.from({ length: 5 }, () => ({ op: "write" as const, size: random.int(1, 8192) }))],
      }),
    ],
  },
  mapper: {
    describe: "mmaps files named libcrack-*.so and others at random fds (comm: mapper)",
    launches: (random) => [
      mapper.launch({
        comm: "mapper",
        steps: ["libcrack", "libz", "libcrack", "notes"].map((stem, index) => ({
          op: "map" as const,
          path: `/tmp/demo/${stem}-${random.word(4)}.so`,
          size: 4096,
          fd: 10 + index * random.int(2, 9),
        })),
      }),
    ],
  },
  kprobeme: {
    describe: "opens, reads and sometimes forgets to close a file, 20 times (comm: kprobeme)",
    launches: (random) => {
      const path = `/tmp/demo/${random.word(6)}.cfg`;
      return [
        kprobeme.launch({ comm: "kprobeme", create: [{ path }], path, iterations: 20, leakEvery: random.int(3, 6), intervalUs: 50_000 }),
      ];
    },
  },
  contender: {
    describe: "4 threads pwrite 1 MiB at offset 0 of one tmpfs file: inode lock contention (comm: contender)",
    launches: () => [
      contender.launch({ comm: "contender", file: "/tmp/demo/contended", threads: 4, bytes: 1 << 20, rounds: 16 }),
    ],
  },
};
