// unlinker (fixtures/workloads/unlinker.c): creates each file (a 16-byte write) and unlinks it.
import { z } from "zod";
import { absolutePath, comm, doneRecord, errorRecord, fileName, pauseRecord, pauseStep, pid } from "./common.ts";
import { defineWorkload } from "./workload.ts";

const unlinkRecord = z.strictObject({
  op: z.literal("unlink"),
  pid,
  /** DIR/NAME as passed to unlink(2). */
  path: z.string(),
  dir: z.string(),
  /** The last component of DIR: what the dentry's d_parent->d_name shows. */
  parent: z.string(),
  name: z.string(),
  ret: z.literal(0),
});

export const unlinker = defineWorkload({
  program: "unlinker",
  plan: z.strictObject({
    comm: comm.optional(),
    steps: z.array(z.discriminatedUnion("op", [z.strictObject({ op: z.literal("unlink"), dir: absolutePath, name: fileName }), pauseStep])),
  }),
  render: (plan) => plan.steps.map((step) => (step.op === "unlink" ? `unlink ${step.dir} ${step.name}` : `pause_us ${step.us}`)),
  records: z.discriminatedUnion("op", [unlinkRecord, pauseRecord, doneRecord, errorRecord]),
});

export type UnlinkRecord = z.infer<typeof unlinkRecord>;
