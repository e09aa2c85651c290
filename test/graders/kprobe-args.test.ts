import { proveGrader } from "../support/prove-grader.ts";

const unlinkProbe = "attaches a kprobe, not a kfunc, to vfs_unlink";
const everyName = "prints the name of every file the workload unlinked";
const comm = "prints the command name before each file name";
const writeProbe = "attaches a kretprobe, not a kretfunc, to vfs_write";
const everyReturn = "prints what vfs_write returned for every write of the workload, in order";
const onlyComm = "prints only the writes of the command named by $1";

/** The checks of a script the case leaves out: they fail with "was not found". */
const withoutUnlinkScript = [unlinkProbe, everyName, comm];
const withoutWriteScript = [writeProbe, everyReturn, onlyComm];

proveGrader("kprobe-args", [
  { case: "starter", fails: [everyName, comm, everyReturn, onlyComm] },
  { case: "kfunc", fails: [unlinkProbe, writeProbe] },
  { case: "old-kernel-arg", fails: [everyName, comm, ...withoutWriteScript] },
  { case: "no-comm-filter", fails: [...withoutUnlinkScript, onlyComm] },
]);
