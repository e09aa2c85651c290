// Whose fault a workload's broken record is: missing records mean the script read the
// workload's pipe (the task's checks fail); a workload that failed on its own makes the
// exercise not gradable. Records here are the workloads' documented line format.
import { describe, expect, test } from "vitest";
import { readWorkload } from "../../graders/kit/grade/workload-integrity.ts";
import type { WorkloadResult } from "../../graders/kit/run/script-run.ts";
import { unlinker as unlinkerWorkload } from "../../graders/kit/workloads/unlinker.ts";

function workloadProblem(result: WorkloadResult) {
  const reading = readWorkload(unlinkerWorkload, result);
  return reading.kind === "problem" ? reading.problem : undefined;
}

function unlinker(stdout: string, exit: WorkloadResult["exit"] = { kind: "exited", code: 0 }, stderr = ""): WorkloadResult {
  return { program: "unlinker", label: "unlinker", exit, stdout, stderr };
}

const pause = (seq: number) => `{"op":"pause","seq":${seq},"us":1}\n`;
const done = (seq: number) => `{"op":"done","seq":${seq},"elapsed_ns":5}\n`;

describe("a workload's record", () => {
  test("whole: no problem", () => {
    expect(workloadProblem(unlinker(pause(0) + pause(1) + done(2)))).toBeUndefined();
  });

  test("with a record missing in the middle: the script's doing", () => {
    expect(workloadProblem(unlinker(pause(0) + done(2)))).toEqual({
      blame: "script",
      message: expect.stringMatching(/^the workload unlinker's record of what it did reached the grader incomplete \(.*record number 2 comes where record 1 belongs.*\): .*cat\(\) of \/proc\/PID\/fd\/1/),
    });
  });

  test("without its done record although the workload exited 0: the script's doing", () => {
    expect(workloadProblem(unlinker(pause(0) + pause(1)))).toMatchObject({ blame: "script", message: expect.stringContaining('"done", is missing') });
  });

  test("cut in the middle of a line although the workload exited 0: the script's doing", () => {
    expect(workloadProblem(unlinker(pause(0) + '{"op":"pau'))).toMatchObject({ blame: "script" });
  });

  test("of a workload that failed: not the script's doing", () => {
    expect(workloadProblem(unlinker(`${pause(0)}{"op":"error","seq":1,"message":"unlink /tmp/x: Permission denied"}\n`, { kind: "exited", code: 1 }))).toEqual({
      blame: "machine",
      message: "the workload unlinker failed: unlink /tmp/x: Permission denied",
    });
    expect(workloadProblem(unlinker(pause(0), { kind: "signaled", signal: 9 }))).toEqual({
      blame: "machine",
      message: "the workload unlinker was killed by signal 9",
    });
  });

  test("whole: its records, typed, for the checks", () => {
    expect(readWorkload(unlinkerWorkload, unlinker(pause(0) + done(1)))).toEqual({ kind: "records", records: [{ op: "pause", us: 1 }, { op: "done", elapsed_ns: 5 }] });
  });
});
