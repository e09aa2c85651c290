// The VM tier's grader proofs: every proof case graded for real in the course's lab machine, with
// a fresh random plan. The verdicts must be what the case expects, and judging the run's
// transcript again (what regrade and the fast tier do) must give exactly the live verdicts.
import { describe, expect, test } from "vitest";
import { exerciseIds, loadExercise } from "../../graders/kit/catalog.ts";
import { regradeExercise } from "../../graders/kit/grade/regrade-exercise.ts";
import { sharedLabProvider } from "../../graders/kit/session.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";
import { chosenLab } from "../../vm/labs.ts";
import { proofCases } from "../proofs/cases.ts";
import { expectVerdicts } from "../proofs/expect-verdicts.ts";
import { gradeCase, gradeTimeoutMs } from "../proofs/grade-case.ts";

const lab = chosenLab();

for (const id of exerciseIds()) {
  const exercise = await loadExercise(id);
  describe(`grader ${id}, live in the ${lab.name} lab machine`, () => {
    for (const proof of proofCases(exercise, lab)) {
      test(proof.name, async () => {
        const { result, transcript } = await gradeCase(proof, sharedLabProvider("vm", silentProgress, lab));
        expectVerdicts(result, proof);
        if (!transcript) throw new Error("a graded exercise left no transcript");
        const replay = regradeExercise(exercise, transcript);
        expect(replay.kind === "regraded" ? replay.result.checks : replay.reason).toEqual(result.checks);
      }, gradeTimeoutMs);
    }
  });
}
