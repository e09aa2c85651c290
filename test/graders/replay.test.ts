// The fast tier's grader proofs: every proof case, judged by today's grader on the evidence
// recorded of a real run in each lab (fixtures/transcripts/<lab>/), without a lab machine. The
// VM tier (live.vm.test.ts, other-labs.vm.test.ts) grades the same cases for real, so this
// evidence cannot drift from what the lab machines do.
import { existsSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { exerciseIds, loadExercise } from "../../graders/kit/catalog.ts";
import { regradeExercise } from "../../graders/kit/grade/regrade-exercise.ts";
import { readTranscript } from "../../graders/kit/grade/transcript.ts";
import { labNames, loadLab } from "../../vm/labs.ts";
import { proofCases, recordedTranscript } from "../proofs/cases.ts";
import { expectVerdicts } from "../proofs/expect-verdicts.ts";

for (const lab of labNames().map(loadLab)) {
  for (const id of exerciseIds()) {
    const exercise = await loadExercise(id);
    describe(`grader ${id}, replayed on runs recorded in the ${lab.name} lab`, () => {
      for (const proof of proofCases(exercise, lab)) {
        test(proof.name, async () => {
          const path = recordedTranscript(lab.name, proof);
          const record = `npm run proofs:record -- --lab ${lab.name} ${id}`;
          expect(existsSync(path), `no recorded run of ${id} ${proof.name} in the ${lab.name} lab: record it with ${record}`).toBe(true);
          const regrade = regradeExercise(exercise, await readTranscript(path));
          if (regrade.kind === "refused") throw new Error(`${regrade.reason}; record it again with ${record}`);
          expectVerdicts(regrade.result, proof);
        });
      }
    });
  }
}
