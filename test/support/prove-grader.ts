// A grader is proven by grading real submissions in the lab machine: the reference solution
// must get full marks, and each plausible wrong solution must lose exactly the points of the
// checks its mistake breaks, with a message a student can act on.
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadExercise } from "../../graders/kit/catalog.ts";
import { gradeExercise } from "../../graders/kit/grade/grade-exercise.ts";
import type { ExerciseResult } from "../../graders/kit/grade/results.ts";
import { newSeed } from "../../graders/kit/run/random.ts";
import { sharedLabProvider } from "../../graders/kit/session.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));

export interface WrongSolution {
  /** Folder under fixtures/submissions/<exercise>/, laid out like exercises/. */
  case: string;
  /** Names of the checks this mistake must fail; every other check must pass. */
  fails: string[];
}

export async function grade(exerciseId: string, submissionRoot: string): Promise<ExerciseResult> {
  const provider = sharedLabProvider("vm", silentProgress);
  return gradeExercise(await loadExercise(exerciseId), submissionRoot, provider, { seed: newSeed() });
}

function describeFailures(result: ExerciseResult): string {
  const failed = result.checks.filter((check) => !check.ok);
  return `seed ${result.seed}, ${result.score}/${result.max}: ${failed.map((check) => `[${check.name}] ${check.message}`).join("; ")}`;
}

// A grade runs up to three bpftrace scripts, several seconds each under TCG, and the first test
// of a file may boot (or build) the lab machine: the kit bounds every step, this bounds the test.
const gradeTimeoutMs = 600_000;

export function proveGrader(exerciseId: string, wrong: readonly WrongSolution[]): void {
  describe(`grader ${exerciseId}`, () => {
    test("the reference solution gets full marks", async () => {
      const result = await grade(exerciseId, join(repo, "solutions"));
      expect(result.gradable, result.reason).toBe(true);
      expect(result.score, describeFailures(result)).toBe(result.max);
    }, gradeTimeoutMs);

    for (const solution of wrong) {
      test(`a wrong solution (${solution.case}) loses the points of: ${solution.fails.join("; ")}`, async () => {
        const result = await grade(exerciseId, join(repo, "fixtures/submissions", exerciseId, solution.case));
        expect(result.gradable, result.reason).toBe(true);
        const failed = result.checks.filter((check) => !check.ok).map((check) => check.name);
        expect(failed.sort(), describeFailures(result)).toEqual([...solution.fails].sort());
        expect(result.score).toBeLessThan(result.max);
        for (const check of result.checks.filter((checked) => !checked.ok)) {
          expect(check.message.length, `message of ${check.name}`).toBeGreaterThan(20);
        }
      }, gradeTimeoutMs);
    }
  });
}
