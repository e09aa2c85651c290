// Every exercise works in every lab, not only the course's: each reference and each wrong answer
// graded for real in the other labs' machines. (Their right answers are proven on recorded runs
// in the fast tier: the corpus differs from the references in how lines are printed, which the
// recordings hold byte for byte.)
import { describe, test } from "vitest";
import { exerciseIds, loadExercise } from "../../graders/kit/catalog.ts";
import { LabProvider } from "../../graders/kit/machine/lab-provider.ts";
import { ownScript } from "../../graders/kit/machine/isolation.ts";
import { backendsFor } from "../../graders/kit/session.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";
import { chosenLab, labNames, loadLab } from "../../vm/labs.ts";
import { proofCases } from "../proofs/cases.ts";
import { expectVerdicts } from "../proofs/expect-verdicts.ts";
import { gradeCase, gradeTimeoutMs } from "../proofs/grade-case.ts";

for (const lab of labNames().filter((name) => name !== chosenLab().name).map(loadLab)) {
  describe(`the ${lab.name} lab machine`, () => {
    const provider = new LabProvider(backendsFor("vm", silentProgress, lab), silentProgress, ownScript);
    for (const id of exerciseIds()) {
      test(`${id}: the reference gets full marks and every wrong answer loses exactly its checks`, async () => {
        const exercise = await loadExercise(id);
        for (const proof of proofCases(exercise, lab).filter((each) => !each.name.startsWith("right/"))) {
          expectVerdicts((await gradeCase(proof, provider)).result, proof);
        }
      }, 6 * gradeTimeoutMs);
    }
  });
}
