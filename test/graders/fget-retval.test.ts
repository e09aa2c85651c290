import { proveGrader } from "../support/prove-grader.ts";

const probe = "attaches a kretfunc (fexit) probe to fget";
const everyFile = "prints a line for every mapped file whose name contains $1";
const fd = "shows the fd each file was mapped through";
const comm = "names the command that mapped each file";
const onlyMatching = "prints no file whose name lacks $1";

proveGrader("fget-retval", [
  { case: "starter", fails: [fd, onlyMatching] },
  { case: "unclamped", fails: [probe, everyFile, fd, comm, onlyMatching] },
  { case: "lab-crack", fails: [everyFile, fd, comm, onlyMatching] },
  { case: "no-filter", fails: [onlyMatching] },
]);
