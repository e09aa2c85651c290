// kprobeme (fixtures/workloads/kprobeme.c): the lab's misbehaving process. It opens one file
// with the raw open(2) syscall, reads it, and closes the descriptor except every Nth time.
import { z } from "zod";
import { absolutePath, comm, count, doneRecord, errorRecord, fd, int, MiB, pid } from "./common.ts";
import { defineWorkload } from "./workload.ts";

const createRecord = z.strictObject({ op: z.literal("create"), pid, path: z.string(), size: count });
const openRecord = z.strictObject({
  op: z.literal("open"),
  pid,
  /** Counts from 1. */
  iteration: z.number().int().positive(),
  fd,
  path: z.string(),
  /** What read(2) of 1024 bytes returned. */
  read: count,
  /** false: the descriptor was leaked, and stays open until the process exits. */
  closed: z.boolean(),
});

const plan = z
  .strictObject({
    comm: comm.optional(),
    /** Files created before the loop (the one opened is usually among them). */
    create: z.array(z.strictObject({ path: absolutePath, size: int(0, 64 * MiB).optional() })).max(64).optional(),
    /** The file opened on every iteration. */
    path: absolutePath,
    iterations: int(1, 1_000_000),
    /** Iterations N, 2N, ... leak their descriptor; 0 or absent: none do. */
    leakEvery: int(0, 1_000_000).optional(),
    intervalUs: int(0, 60_000_000).optional(),
    /** How long to stay alive, leaked descriptors open, after the done record. */
    lingerMs: int(0, 600_000).optional(),
  })
  .refine((plan) => !plan.leakEvery || Math.floor(plan.iterations / plan.leakEvery) <= 1000, "more than 1000 leaked descriptors would run into the descriptor limit");

export const kprobeme = defineWorkload({
  program: "kprobeme",
  plan,
  render: (plan) => [
    ...(plan.create ?? []).map((file) => `create ${file.path} ${file.size ?? 4096}`),
    `path ${plan.path}`,
    `iterations ${plan.iterations}`,
    `leak_every ${plan.leakEvery ?? 0}`,
    `interval_us ${plan.intervalUs ?? 0}`,
    `linger_ms ${plan.lingerMs ?? 0}`,
  ],
  records: z.discriminatedUnion("op", [createRecord, openRecord, doneRecord, errorRecord]),
});

export type OpenRecord = z.infer<typeof openRecord>;
