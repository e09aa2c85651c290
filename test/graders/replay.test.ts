// The fast tier's grader proofs: every proof case, judged by today's grader on the evidence
// recorded of a real run in each lab (fixtures/transcripts/<lab>/), without a lab machine. The
// VM tier (live.vm.test.ts) grades the same cases for real, so this evidence cannot drift from
// what the lab machine does.
import { existsSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { exerciseIds, loadExercise } from "../../graders/kit/catalog.ts";
import { regradeExercise } from "../../graders/kit/grade/regrade-exercise.ts";
import { readTranscript } from "../../graders/kit/grade/transcript.ts";
import { proofCases, recordedTranscript } from "../proofs/cases.ts";
import { expectVerdicts } from "../proofs/expect-verdicts.ts";
import { provenLabs } from "../proofs/proven-labs.ts";

for (const lab of provenLabs) {
  for (const id of exerciseIds()) {
    describe(`grader ${id}, replayed on runs recorded in the ${lab} lab`, () => {
      for (const proof of proofCases(id)) {
        test(proof.name, async () => {
          const path = recordedTranscript(lab, proof);
          expect(existsSync(path), `no recorded run of ${id} ${proof.name} in the ${lab} lab: record it with npm run proofs:record -- --lab ${lab} ${id}`).toBe(true);
          const regrade = regradeExercise(await loadExercise(id), await readTranscript(path));
          if (regrade.kind === "refused") throw new Error(`${regrade.reason}; record it again with npm run proofs:record -- --lab ${lab} ${id}`);
          expectVerdicts(regrade.result, proof);
        });
      }
    });
  }
}
