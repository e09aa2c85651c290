// contender (fixtures/workloads/contender.c): threads pwrite(2) the same range of one file and
// contend on its inode's lock; with trace-locks it records the waits from the kernel's own
// lock trace events (fixtures/workloads/lib/lock-trace.c).
import { z } from "zod";
import { absolutePath, comm, count, doneRecord, errorRecord, int, MiB, pid } from "./common.ts";
import { defineWorkload } from "./workload.ts";

const threadRecord = z.strictObject({
  op: z.literal("thread"),
  pid,
  tid: pid,
  /** The thread's comm as the kernel reported it (PR_GET_NAME) when the thread started. */
  comm: z.string(),
  writes: count,
  bytes: count,
  elapsed_ns: count,
});

/** With trace-locks: one contention of the contender's threads, as lock:contention_begin/end saw it. */
const contentionRecord = z.strictObject({
  op: z.literal("contention"),
  /** The kernel's number for the task (not the container's, where they differ). */
  tid: pid,
  /** The lock's address, 0x-prefixed hex: args.lock_addr. */
  lock: z.string().regex(/^0x[0-9a-f]+$/),
  /** contention_begin's args.flags. */
  flags: count,
  /** Microsecond resolution, mono clock. */
  begin_ns: count,
  duration_ns: count,
});

const plan = z
  .strictObject({
    comm: comm.optional(),
    file: absolutePath,
    threads: int(1, 64),
    /** Bytes per pwrite(2), always at offset 0. */
    bytes: int(1, 64 * MiB),
    /** pwrites per thread. */
    rounds: int(1, 1_000_000),
    /** Record each contention the threads met, from the kernel's lock trace events (needs tracefs). */
    traceLocks: z.boolean().optional(),
  })
  .refine((plan) => plan.threads * plan.bytes <= 256 * MiB, "threads x bytes above 256 MiB");

export const contender = defineWorkload({
  program: "contender",
  plan,
  render: (plan) => [`file ${plan.file}`, `threads ${plan.threads}`, `bytes ${plan.bytes}`, `rounds ${plan.rounds}`, ...(plan.traceLocks ? ["trace-locks"] : [])],
  records: z.discriminatedUnion("op", [threadRecord, contentionRecord, doneRecord, errorRecord]),
});

export type ContentionRecord = z.infer<typeof contentionRecord>;
export type ContenderPlan = z.input<typeof plan>;
