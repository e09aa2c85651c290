// writer (fixtures/workloads/writer.c): write(2)s buffers to a file, and "noise" to others.
import { z } from "zod";
import { absolutePath, comm, count, doneRecord, errorRecord, fd, int, MiB, pauseRecord, pauseStep, pid } from "./common.ts";
import { defineWorkload } from "./workload.ts";

const writeRecord = z.strictObject({
  op: z.literal("write"),
  pid,
  fd,
  path: z.string(),
  /** The count passed to write(2): vfs_write's args.count. */
  count,
  /** What write(2) returned. */
  ret: count,
});
const noiseRecord = z.strictObject({ op: z.literal("noise"), pid, path: z.string(), writes: count, size: count, bytes: count });

const plan = z
  .strictObject({
    comm: comm.optional(),
    steps: z.array(
      z.discriminatedUnion("op", [
        /** Opens (creates, truncates) the file the following writes go to. */
        z.strictObject({ op: z.literal("file"), path: absolutePath }),
        z.strictObject({ op: z.literal("write"), size: int(0, 64 * MiB) }),
        /** Another file, many writes: for the background writers. */
        z.strictObject({ op: z.literal("noise"), path: absolutePath, count: int(0, 1_000_000), size: int(0, 64 * MiB), intervalUs: int(0, 10_000_000).optional() }),
        pauseStep,
      ]),
    ),
  })
  .superRefine((plan, ctx) => {
    const firstFile = plan.steps.findIndex((step) => step.op === "file");
    const firstWrite = plan.steps.findIndex((step) => step.op === "write");
    if (firstWrite >= 0 && (firstFile < 0 || firstWrite < firstFile)) {
      ctx.addIssue({ code: "custom", path: ["steps", firstWrite], message: "write before any file step" });
    }
    plan.steps.forEach((step, index) => {
      if (step.op === "noise" && step.count * step.size > 256 * MiB) ctx.addIssue({ code: "custom", path: ["steps", index], message: "noise of more than 256 MiB" });
    });
  });

export const writer = defineWorkload({
  program: "writer",
  plan,
  render: (plan) =>
    plan.steps.map((step) => {
      switch (step.op) {
        case "file":
          return `file ${step.path}`;
        case "write":
          return `write ${step.size}`;
        case "noise":
          return `noise ${step.path} ${step.count} ${step.size} ${step.intervalUs ?? 0}`;
        case "pause":
          return `pause_us ${step.us}`;
      }
    }),
  records: z.discriminatedUnion("op", [writeRecord, noiseRecord, pauseRecord, doneRecord, errorRecord]),
});

export type WriteRecord = z.infer<typeof writeRecord>;
