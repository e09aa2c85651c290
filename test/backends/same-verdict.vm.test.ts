// Same submission, same verdict: every exercise that needs only tracepoints can be graded in
// the container on the host's kernel, and must get there exactly the check results it gets in
// the lab VM. Covers each such exercise as soon as its grader and reference solution exist.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { exerciseIds, loadExercise } from "../../graders/kit/catalog.ts";
import type { Exercise } from "../../graders/kit/exercise.ts";
import { gradeExercise } from "../../graders/kit/grade/grade-exercise.ts";
import type { ExerciseResult } from "../../graders/kit/grade/results.ts";
import { LabProvider } from "../../graders/kit/machine/lab-provider.ts";
import { trustedSubmissions, untrustedSubmissions } from "../../graders/kit/machine/isolation.ts";
import { backendsFor } from "../../graders/kit/session.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";
import { dockerMissing } from "./docker-available.ts";

const solutions = fileURLToPath(new URL("../../solutions", import.meta.url));
const tracepointOnly = (exercise: Exercise) =>
  exercise.requires.length > 0 && exercise.requires.every((requirement) => requirement.startsWith("tracepoint:"));
const exercises = (await Promise.all(exerciseIds().map(loadExercise))).filter(
  (exercise) => tracepointOnly(exercise) && existsSync(join(solutions, exercise.id)),
);

const verdicts = (result: ExerciseResult) => result.checks.map((check) => ({ task: check.task, check: check.name, ok: check.ok }));

describe.skipIf(dockerMissing !== undefined)("the same submission gets the same verdict in the vm and in the container", () => {
  const vm = new LabProvider(backendsFor("vm"), silentProgress, untrustedSubmissions);
  const container = new LabProvider(backendsFor("container"), silentProgress, trustedSubmissions);
  afterAll(async () => {
    await Promise.all([vm.close(), container.close()]);
  });

  it("covers at least one exercise that needs only tracepoints", () => {
    expect(exercises.map((exercise) => exercise.id)).toContain("lock-contention");
  });

  for (const exercise of exercises) {
    it(`${exercise.id}: reference solution`, async () => {
      const seed = 4242;
      const inContainer = await gradeExercise(exercise, solutions, container, { seed });
      expect(inContainer.gradable, inContainer.reason).toBe(true);
      expect(inContainer.machine?.backend).toBe("container");
      const inVm = await gradeExercise(exercise, solutions, vm, { seed });
      expect(inVm.gradable, inVm.reason).toBe(true);
      expect(verdicts(inContainer), JSON.stringify(inContainer.checks.filter((check) => !check.ok))).toEqual(verdicts(inVm));
      expect(inContainer.score).toBe(inContainer.max);
    }, 600_000);
  }
});
