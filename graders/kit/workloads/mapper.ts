// mapper (fixtures/workloads/mapper.c): mmap(2)s files through chosen descriptors.
import { z } from "zod";
import { absolutePath, comm, doneRecord, errorRecord, fd, int, MiB, pauseRecord, pauseStep, pid } from "./common.ts";
import { defineWorkload } from "./workload.ts";

const mmapRecord = z.strictObject({
  op: z.literal("mmap"),
  pid,
  /** The descriptor mmap(2) was given: fget's args.fd. */
  fd,
  path: z.string(),
  /** The last component of path: the dentry's d_name. */
  name: z.string(),
  size: z.number().int().positive(),
});

export const mapper = defineWorkload({
  program: "mapper",
  plan: z.strictObject({
    comm: comm.optional(),
    steps: z.array(
      z.discriminatedUnion("op", [
        /** fd 3..1023: 0-2 are the workload's stdio, 1024 is the usual descriptor limit. */
        z.strictObject({ op: z.literal("map"), path: absolutePath, size: int(1, 64 * MiB), fd: int(3, 1023) }),
        pauseStep,
      ]),
    ),
  }),
  render: (plan) => plan.steps.map((step) => (step.op === "map" ? `map ${step.path} ${step.size} ${step.fd}` : `pause_us ${step.us}`)),
  records: z.discriminatedUnion("op", [mmapRecord, pauseRecord, doneRecord, errorRecord]),
});

export type MmapRecord = z.infer<typeof mmapRecord>;
