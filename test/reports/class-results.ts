// A small class, constructed: a full score, lost points with a hidden check, a not gradable
// exercise, a student id that tries to break CSV, TAP and spreadsheets, and one exercise graded
// in the container on the host's kernel because the instructor trusted the submissions.
import type { CheckResult, ExerciseResult, SubmissionResult } from "../../graders/kit/grade/results.ts";
import { submissionResult } from "../../graders/kit/grade/results.ts";
import type { Isolation } from "../../graders/kit/machine/isolation.ts";
import type { MachineInfo } from "../../graders/kit/machine/lab-machine.ts";

const vm: MachineInfo = { backend: "vm", accelerator: "tcg", kernelRelease: "6.12.117+deb13-cloud-amd64", packages: { bpftrace: "0.23.2+dfsg-1" } };
const container: MachineInfo = { backend: "container", accelerator: "none", kernelRelease: "6.18.0", packages: { bpftrace: "0.23.2+dfsg-1" } };
const ownKernel: Isolation = { kernel: "own", trust: "trusted-submissions" };
const hostKernel: Isolation = { kernel: "host", trust: "trusted-submissions" };

function check(name: string, max: number, ok: boolean, hidden = false): CheckResult {
  return { id: name.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 30), task: "vfs-unlink.bt", name, ok, points: ok ? max : 0, max, hidden, message: ok ? "" : `${name} # is wrong \\ here`, excerpt: ok ? [] : ["rm-x a.txt"] };
}

function exercise(id: string, checks: CheckResult[], gradable = true, machine = vm, isolation = ownKernel): ExerciseResult {
  const score = gradable ? checks.reduce((sum, each) => sum + each.points, 0) : 0;
  const max = checks.reduce((sum, each) => sum + each.max, 0);
  const why = gradable ? {} : { reason: "vm: could not start: qemu\nexited" };
  const where = gradable ? { machine, isolation } : {};
  return { id, title: id, score, max, gradable, ...why, checks, notes: [], review: [], seed: 42, ...where };
}

const unlink = (ok: boolean[]) => exercise("vfs-unlink", [check("attaches to vfs_unlink", 1, ok[0]!), check("names the parent", 2, ok[1]!), check("prints each file once", 3, ok[2]!, true)]);
const fget = (ok: boolean, gradable = true) => exercise("fget-retval", [check("reads the return value", 4, gradable && ok)], gradable);
const fgetInContainer = (ok: boolean) => exercise("fget-retval", [check("reads the return value", 4, ok)], true, container, hostKernel);

export const classResults: SubmissionResult[] = [
  submissionResult("alice", [unlink([true, true, true]), fget(true)]),
  submissionResult("bob", [unlink([true, false, false]), fgetInContainer(false)]),
  submissionResult("carol", [unlink([false, true, true]), fget(false, false)]),
  submissionResult('=cmd|" -C calc"!A0 #1, \\x', [unlink([true, true, false]), fget(true)]),
];
