import { proveGrader } from "../support/prove-grader.ts";

const namesFile = "names the file kprobeme opens";
const linePerOpen = "prints one line per open(2) call";
const everyFd = "prints the descriptor every open(2) call returned, in order";
const onlyKprobeme = "prints only kprobeme's open(2) descriptors";
const everyLeak = "@open_fds holds every leaked descriptor at exit";
const noClosed = "@open_fds holds no descriptor kprobeme closed";

/** The checks of a script the case leaves out: they fail with "was not found". */
const withoutWhichFile = [namesFile, linePerOpen];
const withoutNewFd = [everyFd, onlyKprobeme];
const withoutLeakedFds = [everyLeak, noClosed];

proveGrader("kprobeme", [
  { case: "openat", fails: [linePerOpen, everyFd, everyLeak, noClosed] },
  { case: "no-comm-filter", fails: [namesFile, onlyKprobeme, ...withoutLeakedFds] },
  { case: "opens-without-closes", fails: [...withoutWhichFile, ...withoutNewFd, noClosed] },
  { case: "fixed-path", fails: [namesFile, linePerOpen, ...withoutNewFd, ...withoutLeakedFds] },
]);
