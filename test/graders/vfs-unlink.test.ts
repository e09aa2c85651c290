import { proveGrader } from "../support/prove-grader.ts";

const probe = "attaches a kfunc (fentry) probe to vfs_unlink";
const everyFile = "prints a line for every file the workload unlinked";
const comm = "names the command that unlinked each file";
const parent = "names the parent directory of each unlinked file";
const onlyReal = "prints only real unlinks for the workload's command";

proveGrader("vfs-unlink", [
  { case: "starter", fails: [parent] },
  { case: "grandparent", fails: [parent] },
  { case: "swapped", fails: [everyFile, comm, parent] },
  { case: "begin-fixed", fails: [probe, everyFile, comm, parent, onlyReal] },
  { case: "kprobe", fails: [probe] },
]);
