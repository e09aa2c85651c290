// The wrong answers under fixtures/submissions/<exercise>/<case>/, and the checks (by id) each
// mistake must fail; every other check must pass. A case that leaves a script out fails that
// script's checks with "was not found".
import type { Lab } from "../../vm/labs.ts";

type BooleanFact = { [Fact in keyof Lab["facts"]]: Lab["facts"][Fact] extends boolean ? Fact : never }[keyof Lab["facts"]];

export interface WrongAnswer {
  case: string;
  fails: readonly string[];
  /** Where a lab's fact makes this answer right after all, and why (it then fails nothing). */
  rightWhere?: { fact: BooleanFact; why: string };
}

export const wrongAnswers: Readonly<Record<string, readonly WrongAnswer[]>> = {
  "fget-retval": [
    { case: "starter", fails: ["fd", "only-matching"] },
    {
      case: "unclamped",
      fails: ["probe", "every-file", "fd", "comm", "only-matching"],
      rightWhere: { fact: "unclampedStrcontainsLoads", why: "bpftrace loads strcontains() of an unclamped str(): the lab text's example runs there" },
    },
    { case: "lab-crack", fails: ["every-file", "fd", "comm", "only-matching"] },
    { case: "no-filter", fails: ["only-matching"] },
  ],
  "kprobe-args": [
    { case: "starter", fails: ["file-names", "comm", "returns", "only-comm"] },
    { case: "kfunc", fails: ["kprobe", "kretprobe"] },
    // write-kretprobe.bt left out
    { case: "old-kernel-arg", fails: ["file-names", "comm", "kretprobe", "returns", "only-comm"] },
    // unlink-kprobe.bt left out
    { case: "no-comm-filter", fails: ["kprobe", "file-names", "comm", "only-comm"] },
  ],
  kprobeme: [
    { case: "openat", fails: ["line-per-open", "fds-in-order", "leaked-kept", "closed-deleted"] },
    // leaked-fds.bt left out
    { case: "no-comm-filter", fails: ["which-file", "only-kprobeme", "leaked-kept", "closed-deleted"] },
    // which-file.bt and new-fd.bt left out
    { case: "opens-without-closes", fails: ["which-file", "line-per-open", "fds-in-order", "only-kprobeme", "closed-deleted"] },
    // new-fd.bt and leaked-fds.bt left out
    { case: "fixed-path", fails: ["which-file", "line-per-open", "fds-in-order", "only-kprobeme", "leaked-kept", "closed-deleted"] },
  ],
  "lock-contention": [
    { case: "starter", fails: ["hist", "keyed-by-lock", "long-blocks", "prints-only-hist", "threshold-from-arg", "type-key", "lock-type"] },
    { case: "fixed-threshold", fails: ["threshold-from-arg"] },
    { case: "keyed-by-tid", fails: ["keyed-by-lock"] },
    { case: "microseconds", fails: ["long-blocks"] },
    { case: "keeps-start-times", fails: ["prints-only-hist"] },
    { case: "start-keyed-by-lock", fails: ["long-blocks"] },
    { case: "flags-swapped", fails: ["lock-type"] },
  ],
  "vfs-unlink": [
    { case: "starter", fails: ["parent"] },
    { case: "grandparent", fails: ["parent"] },
    { case: "begin-fixed", fails: ["probe", "every-file", "comm", "parent", "only-real"] },
    { case: "kprobe", fails: ["probe"] },
  ],
  "vfs-write-args": [
    { case: "starter", fails: ["args-only-workload", "file-every-write", "file-only-workload"] },
    // Only write-args.bt is unfiltered: an unfiltered print(*args.file) floods past the output cap.
    { case: "no-filter", fails: ["args-only-workload"] },
    { case: "hard-coded-comm", fails: ["args-every-write", "args-only-workload", "file-every-write", "file-only-workload"] },
    { case: "kretfunc", fails: ["args-probe", "file-probe"] },
  ],
};
