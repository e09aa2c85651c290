// What proves a grader: its reference solution gets full marks, every right answer of the corpus
// (fixtures/right-answers/<exercise>/<case>/) gets full marks too, and every wrong answer
// (fixtures/submissions/<exercise>/<case>/) loses exactly the checks its mistake breaks.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { wrongAnswers } from "./wrong-answers.ts";

export const repo = fileURLToPath(new URL("../..", import.meta.url));

export interface ProofCase {
  exercise: string;
  /** "reference", "right/<case>" or "wrong/<case>": unique within the exercise. */
  name: string;
  /** Laid out like exercises/: the exercise's folder is inside. */
  submissionRoot: string;
  /** Ids of the checks that must fail; every other must pass. */
  fails: readonly string[];
}

function rightAnswers(exercise: string): ProofCase[] {
  const dir = join(repo, "fixtures/right-answers", exercise);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort()
    .map((name) => ({ exercise, name: `right/${name}`, submissionRoot: join(dir, name), fails: [] }));
}

export function proofCases(exercise: string): ProofCase[] {
  return [
    { exercise, name: "reference", submissionRoot: join(repo, "solutions"), fails: [] },
    ...rightAnswers(exercise),
    ...(wrongAnswers[exercise] ?? []).map((wrong) => ({
      exercise,
      name: `wrong/${wrong.case}`,
      submissionRoot: join(repo, "fixtures/submissions", exercise, wrong.case),
      fails: wrong.fails,
    })),
  ];
}

/** Where a case's transcript, recorded in a real lab machine, is kept. */
export function recordedTranscript(lab: string, proof: ProofCase): string {
  return join(repo, "fixtures/transcripts", lab, proof.exercise, `${proof.name.replace("/", "--")}.json`);
}
