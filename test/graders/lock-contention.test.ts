import { proveGrader } from "../support/prove-grader.ts";

const stored = "stores the blocks longer than $1 in the hist @long_block_times";
const byAddress = "keys @long_block_times by lock address";
const values = "stores each long block once, in nanoseconds, over $1 microseconds";
const onlyTheHist = "prints only @long_block_times, not the map of start times";
const threshold = "takes the threshold from $1: nothing is stored when no block is that long";
const byType = "extra credit: keys @long_block_times by lock type and lock address";
const rwsem = "extra credit: names the contender's lock rwsem:W (flags WRITE)";

proveGrader("lock-contention", [
  { case: "starter", fails: [stored, byAddress, values, onlyTheHist, threshold, byType, rwsem] },
  { case: "fixed-threshold", fails: [threshold] },
  { case: "keyed-by-tid", fails: [byAddress] },
  { case: "microseconds", fails: [values] },
  { case: "keeps-start-times", fails: [onlyTheHist] },
  { case: "start-keyed-by-lock", fails: [values] },
  { case: "flags-swapped", fails: [rwsem] },
]);
