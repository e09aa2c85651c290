// A small class, constructed: a full score, lost points with a hidden check, a not gradable
// exercise, and a student id that tries to break CSV, TAP and spreadsheets.
import type { CheckResult, ExerciseResult, SubmissionResult } from "../../graders/kit/grade/results.ts";
import { submissionResult } from "../../graders/kit/grade/results.ts";

function check(name: string, max: number, ok: boolean, hidden = false): CheckResult {
  return { id: name.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 30), task: "vfs-unlink.bt", name, ok, points: ok ? max : 0, max, hidden, message: ok ? "" : `${name} # is wrong \\ here`, excerpt: ok ? [] : ["rm-x a.txt"] };
}

function exercise(id: string, checks: CheckResult[], gradable = true): ExerciseResult {
  const score = gradable ? checks.reduce((sum, each) => sum + each.points, 0) : 0;
  const max = checks.reduce((sum, each) => sum + each.max, 0);
  return { id, title: id, score, max, gradable, ...(gradable ? {} : { reason: "vm: could not start: qemu\nexited" }), checks, notes: [], review: [], seed: 42 };
}

const unlink = (ok: boolean[]) => exercise("vfs-unlink", [check("attaches to vfs_unlink", 1, ok[0]!), check("names the parent", 2, ok[1]!), check("prints each file once", 3, ok[2]!, true)]);
const fget = (ok: boolean, gradable = true) => exercise("fget-retval", [check("reads the return value", 4, gradable && ok)], gradable);

export const classResults: SubmissionResult[] = [
  submissionResult("alice", [unlink([true, true, true]), fget(true)]),
  submissionResult("bob", [unlink([true, false, false]), fget(false)]),
  submissionResult("carol", [unlink([false, true, true]), fget(false, false)]),
  submissionResult('=cmd|" -C calc"!A0 #1, \\x', [unlink([true, true, false]), fget(true)]),
];
