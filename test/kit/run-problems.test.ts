// When bpflab stops bpftrace for printing too much, the student is told so, whether it happened
// before or after the probes attached; bpflab's own kill is never reported as bpftrace refusing
// the script.
import { describe, expect, test } from "vitest";
import { describeEnding, describeRejection } from "../../graders/kit/grade/run-problems.ts";
import type { ScriptRun } from "../../graders/kit/run/script-run.ts";

function cappedRun(attachMs: number | undefined): ScriptRun {
  return {
    ending: "output-cap",
    exit: { kind: "signaled", signal: 9 },
    stdout: "Attaching 2 probes...\nwarning warning\n".repeat(10),
    stderr: "",
    stdoutBytes: 2_000_000,
    workloads: [],
    attachMs,
    totalMs: 5_000,
  };
}

describe("a run stopped at the output cap", () => {
  test("before attaching: every check fails with one sentence naming the limit, and the head of the output", () => {
    expect(describeRejection(cappedRun(undefined), "vfs-unlink.bt")).toEqual({
      ok: false,
      message:
        "bpftrace printed 2000000 bytes before the probes of vfs-unlink.bt were attached, over the output limit, and was stopped; print only what the task asks.",
      excerpt: ["Attaching 2 probes...", "warning warning", "Attaching 2 probes...", "warning warning", "Attaching 2 probes..."],
    });
    expect(describeEnding(cappedRun(undefined))).toMatch(/over the output limit/);
  });

  test("after attaching: the checks judge what was printed, with a note on the cut", () => {
    expect(describeRejection(cappedRun(1_200), "vfs-unlink.bt")).toBeUndefined();
    expect(describeEnding(cappedRun(1_200))).toBe(
      "(bpftrace was stopped after printing 2000000 bytes, over the output limit; the checks saw only the beginning: print only what the task asks.)",
    );
  });
});
