// The VM tier's grader proofs: every proof case graded for real in the lab machine, with a fresh
// random plan. The verdicts must be what the case expects, and judging the run's transcript again
// (what regrade and the fast tier do) must give exactly the live verdicts.
import { describe, expect, test } from "vitest";
import { exerciseIds, loadExercise } from "../../graders/kit/catalog.ts";
import { regradeExercise } from "../../graders/kit/grade/regrade-exercise.ts";
import { sharedLabProvider } from "../../graders/kit/session.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";
import { proofCases } from "../proofs/cases.ts";
import { expectVerdicts } from "../proofs/expect-verdicts.ts";
import { gradeCase } from "../proofs/grade-case.ts";

// A grade runs up to three bpftrace scripts, several seconds each under TCG; the kit bounds every step.
const gradeTimeoutMs = 600_000;

for (const id of exerciseIds()) {
  describe(`grader ${id}, live in the lab machine`, () => {
    for (const proof of proofCases(id)) {
      test(proof.name, async () => {
        const { result, transcript } = await gradeCase(proof, sharedLabProvider("vm", silentProgress));
        expectVerdicts(result, proof);
        if (!transcript) throw new Error("a graded exercise left no transcript");
        const replay = regradeExercise(await loadExercise(id), transcript);
        expect(replay.kind === "regraded" ? replay.result.checks : replay.reason).toEqual(result.checks);
      }, gradeTimeoutMs);
    }
  });
}
