// Output bpflab cannot read is loud: a failed check's message says how many lines it could not
// read, and so do the exercise's notes. The runs are recorded ones (fixtures/transcripts/trixie),
// with one line added to bpftrace's stdout that no parser knows.
import { describe, expect, test } from "vitest";
import { loadExercise } from "../../graders/kit/catalog.ts";
import { parseOutput } from "../../graders/kit/evidence/output.ts";
import { describeUnread } from "../../graders/kit/grade/judge-task.ts";
import { regradeExercise } from "../../graders/kit/grade/regrade-exercise.ts";
import type { ExerciseResult } from "../../graders/kit/grade/results.ts";
import { readTranscript, type Transcript } from "../../graders/kit/grade/transcript.ts";
import { recordedTranscript } from "../proofs/cases.ts";

/** A recorded run of a wrong answer, regraded with `extra` added to the judged run's stdout. */
async function regradedWith(exercise: string, wrongCase: string, extra: string): Promise<ExerciseResult> {
  const transcript: Transcript = await readTranscript(recordedTranscript("trixie", { exercise, name: `wrong/${wrongCase}` }));
  const run = transcript.tasks[0]?.attempts.at(-1)?.run;
  if (!run) throw new Error(`${exercise} ${wrongCase}: no recorded run`);
  run.stdout += extra;
  const regrade = regradeExercise(await loadExercise(exercise), transcript);
  if (regrade.kind !== "regraded") throw new Error(regrade.reason);
  return regrade.result;
}

describe("bpftrace output bpflab could not read", () => {
  test("text: a map print left open is counted in every failed check's message and in the notes", async () => {
    const result = await regradedWith("kprobeme", "openat", "@open_fds[\n        never closed\n");
    const note =
      '(bpflab could not read 1 line of bpftrace\'s output; the checks did not see what it holds (the first: "@open_fds[", the run\'s transcript has all of them). If your script printed it with printf, do not start such lines like a map print ("@name:" or "@name[").)';
    // Only which-file.bt's run got the line: its failed check says so, the other tasks' do not.
    const failed = result.checks.filter((check) => !check.ok);
    expect(failed.map((check) => [check.task, check.id, check.message.endsWith(` ${note}`)])).toEqual([
      ["which-file.bt", "line-per-open", true],
      ["new-fd.bt", "fds-in-order", false],
      ["leaked-fds.bt", "leaked-kept", false],
      ["leaked-fds.bt", "closed-deleted", false],
    ]);
    expect(result.checks.filter((check) => check.ok).every((check) => check.message === "")).toBe(true);
    expect(result.notes).toContain(`which-file.bt: ${note}`);
  });

  test("json: a line of a type bpflab does not know", async () => {
    const line = '{"type": "flamegraph", "data": {"@long_block_times": []}}';
    const result = await regradedWith("lock-contention", "keyed-by-tid", `${line}\n`);
    const keyed = result.checks.find((check) => check.id === "keyed-by-lock");
    expect(keyed?.ok).toBe(false);
    expect(keyed?.message).toMatch(
      /\(bpflab could not read 1 line of bpftrace's output; the checks did not see what it holds \(the first: "\{"type": "flamegraph", "data": \{"@long_block_times": \[\]\}\}", .*\)\. This bpftrace prints something bpflab does not know: tell your instructor\.\)$/,
    );
  });

  test("nothing is said when every line was read", async () => {
    const result = await regradedWith("kprobeme", "openat", "");
    expect(result.checks.some((check) => check.message.includes("could not read"))).toBe(false);
    expect(result.notes.some((note) => note.includes("could not read"))).toBe(false);
  });

  test("a long first line is cut, and several lines are counted", () => {
    const output = parseOutput(`@x[${"a".repeat(200)}\n@y:\nnot a bucket\n`, "text");
    expect(output.unread).toHaveLength(3);
    expect(describeUnread(output)).toMatch(new RegExp(`^\\(bpflab could not read 3 lines of bpftrace's output; the checks did not see what they hold \\(the first: "@x\\[a{77}\\.\\.\\.", `));
  });
});
