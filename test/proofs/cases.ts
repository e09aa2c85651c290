// What proves a grader: its reference solution gets full marks, every right answer of the corpus
// (fixtures/right-answers/<exercise>/<case>/) gets full marks too, and every wrong answer
// (fixtures/submissions/<exercise>/<case>/) loses exactly the checks its mistake breaks. Where
// a lab's bpftrace or kernel makes a case behave otherwise, the lab's facts (vm/labs/) say so.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Exercise } from "../../graders/kit/exercise.ts";
import type { Lab } from "../../vm/labs.ts";
import { macroWithPositional } from "../../graders/kit/grade/lab-advice.ts";
import { wrongAnswers, type WrongAnswer } from "./wrong-answers.ts";

export const repo = fileURLToPath(new URL("../..", import.meta.url));

export interface ProofCase {
  exercise: string;
  /** "reference", "right/<case>" or "wrong/<case>": unique within the exercise. */
  name: string;
  /** Laid out like exercises/: the exercise's folder is inside. */
  submissionRoot: string;
  /** Ids of the checks that must fail in this lab; every other must pass. */
  fails: readonly string[];
  /** Why the lab changes the verdict, when it does. */
  because?: string;
}

/** Why a lab's bpftrace cannot run a script as written, from the lab's facts, or undefined. */
function refusedInLab(script: string, lab: Lab): string | undefined {
  const includes = [...script.matchAll(/^\s*#include\s*<([^>]+)\.h>/gm)].map((match) => `${match[1]}.h`);
  const unparseable = includes.find((header) => lab.facts.kernelHeaders.unparseable.includes(header));
  if (unparseable) return `bpftrace cannot parse <${unparseable}> in the ${lab.name} lab: ${lab.facts.kernelHeaders.note}`;
  if (lab.facts.positionalInMacroCrashes && macroWithPositional(script)) {
    return `bpftrace crashes in the ${lab.name} lab loading a #define whose body uses a positional parameter`;
  }
  return undefined;
}

/** Every right answer gets full marks, but for the tasks whose script the lab's bpftrace cannot run. */
function rightAnswers(exercise: Exercise, lab: Lab): ProofCase[] {
  const dir = join(repo, "fixtures/right-answers", exercise.id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory())
    .sort()
    .map((name) => {
      const root = join(dir, name);
      const refused = exercise.tasks.flatMap((task) => {
        const why = refusedInLab(readFileSync(join(root, exercise.id, task.script), "utf8"), lab);
        return why ? [{ ids: task.checks.map((check) => check.id), why }] : [];
      });
      const because = [...new Set(refused.map((task) => task.why))].join("; ");
      return { exercise: exercise.id, name: `right/${name}`, submissionRoot: root, fails: refused.flatMap((task) => task.ids), ...(because ? { because } : {}) };
    });
}

/** A wrong answer that a lab's bpftrace makes right (wrong-answers.ts names the fact), or loses its checks. */
function wrongInLab(wrong: WrongAnswer, lab: Lab): Pick<ProofCase, "fails" | "because"> {
  if (wrong.rightWhere && lab.facts[wrong.rightWhere.fact]) return { fails: [], because: `in the ${lab.name} lab ${wrong.rightWhere.why}` };
  return { fails: wrong.fails };
}

export function proofCases(exercise: Exercise, lab: Lab): ProofCase[] {
  return [
    { exercise: exercise.id, name: "reference", submissionRoot: join(repo, "solutions"), fails: [] },
    ...rightAnswers(exercise, lab),
    ...(wrongAnswers[exercise.id] ?? []).map((wrong) => ({
      exercise: exercise.id,
      name: `wrong/${wrong.case}`,
      submissionRoot: join(repo, "fixtures/submissions", exercise.id, wrong.case),
      ...wrongInLab(wrong, lab),
    })),
  ];
}

/** Where a case's transcript, recorded in a real lab machine, is kept. */
export function recordedTranscript(lab: string, proof: Pick<ProofCase, "exercise" | "name">): string {
  return join(repo, "fixtures/transcripts", lab, proof.exercise, `${proof.name.replace("/", "--")}.json`);
}
