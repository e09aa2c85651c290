import { proveGrader } from "../support/prove-grader.ts";

const argsProbe = "write-args.bt attaches a kfunc (fentry) probe to vfs_write";
const argsEveryWrite = "write-args.bt prints args for each write of the workload, with its count, in order";
const argsOnly = "write-args.bt prints nothing for other processes";
const fileProbe = "write-file.bt attaches a kfunc (fentry) probe to vfs_write";
const fileEveryWrite = "write-file.bt prints the struct file for each write, f_pos at the bytes written before it";
const fileOnly = "write-file.bt prints nothing for other processes";

proveGrader("vfs-write-args", [
  { case: "starter", fails: [argsOnly, fileEveryWrite, fileOnly] },
  // Only write-args.bt is unfiltered: an unfiltered print(*args.file) floods past the output cap.
  { case: "no-filter", fails: [argsOnly] },
  { case: "hard-coded-comm", fails: [argsEveryWrite, argsOnly, fileEveryWrite, fileOnly] },
  { case: "kretfunc", fails: [argsProbe, fileProbe] },
]);
