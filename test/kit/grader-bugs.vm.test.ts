// A grader that throws (a bug in bpflab, not in the student's script) must not show the student
// a stack trace or a zero: the exercise is not gradable, and the reason says whose fault it is.
import { fileURLToPath } from "node:url";
import { expect, test, vi } from "vitest";
import { gradeExercise } from "../../graders/kit/grade/grade-exercise.ts";
import { sharedLabProvider } from "../../graders/kit/session.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";
import { vfsUnlinkVariant } from "../support/vfs-unlink-variant.ts";

const solutions = fileURLToPath(new URL("../../solutions", import.meta.url));

test("a check that throws makes the exercise not gradable, blaming bpflab, with the stack on stderr only", async () => {
  const buggy = vfsUnlinkVariant("A grader with a bug", {
    name: "the reference vfs-unlink.bt, judged by a check that throws",
    plan: () => null,
    workloads: {},
    launch: () => ({}),
    checks: [
      {
        id: "throws",
        name: "throws instead of judging",
        points: 1,
        verify: () => {
          throw new TypeError("cannot read properties of undefined (reading 'lock')");
        },
      },
    ],
  });
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    const result = await gradeExercise(buggy, solutions, sharedLabProvider("vm", silentProgress), { seed: 5 });
    expect(result.gradable).toBe(false);
    expect(result.score).toBe(0);
    expect(result.reason).toBe(
      "bpflab itself failed while grading (not your script's fault; please report it with seed 5): cannot read properties of undefined (reading 'lock')",
    );
    expect(result.checks[0]?.message).not.toMatch(/ at /);
    expect(stderr.mock.calls.map(([text]) => String(text)).join("")).toMatch(/TypeError: cannot read properties.*\n\s+at /);
  } finally {
    stderr.mockRestore();
  }
}, 300_000);
