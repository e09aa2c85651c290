// `npm run proofs:record -- [--lab <lab>] [--case <name>...] [exercise...]`: grades every proof case (or the named ones) for real in a lab
// machine and keeps its transcript in fixtures/transcripts/<lab>/, where the fast tier replays it.
// A case whose verdicts are not what it expects is reported and not recorded. Run it after
// changing a grader's plan or workloads (the replays then say the recorded runs no longer fit).
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { exerciseIds, loadExercise } from "../graders/kit/catalog.ts";
import { sharedLabProvider } from "../graders/kit/session.ts";
import { plainProgress } from "../graders/kit/ui/progress.ts";
import { chosenLab } from "../vm/labs.ts";
import { proofCases, recordedTranscript } from "../test/proofs/cases.ts";
import { gradeCase } from "../test/proofs/grade-case.ts";

const { values, positionals } = parseArgs({ options: { lab: { type: "string" }, case: { type: "string", multiple: true } }, allowPositionals: true });
const lab = chosenLab(values.lab);
const provider = sharedLabProvider("vm", plainProgress(), lab);
let mismatches = 0;
for (const id of exerciseIds().filter((exercise) => positionals.length === 0 || positionals.includes(exercise))) {
  for (const proof of proofCases(await loadExercise(id), lab).filter((each) => !values.case || values.case.includes(each.name))) {
    const started = Date.now();
    const { result, transcript } = await gradeCase(proof, provider);
    const failed = result.checks.filter((check) => !check.ok).map((check) => check.id).sort();
    const expected = [...proof.fails].sort();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (!result.gradable || !transcript || failed.join() !== expected.join()) {
      mismatches++;
      process.stdout.write(`MISMATCH ${lab.name} ${id} ${proof.name} (${seconds} s): ${result.gradable ? `failed [${failed.join(", ")}], expected [${expected.join(", ")}]` : `not gradable: ${result.reason}`}\n`);
      for (const check of result.checks.filter((each) => !each.ok)) process.stdout.write(`  [${check.id}] ${check.message}\n    ${check.excerpt.join("\n    ")}\n`);
      continue;
    }
    const path = recordedTranscript(lab.name, proof);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${JSON.stringify(transcript, null, 1)}\n`);
    process.stdout.write(`recorded ${lab.name} ${id} ${proof.name} (${seconds} s, ${result.score}/${result.max})\n`);
  }
}
await provider.close();
process.exitCode = mismatches > 0 ? 1 : 0;
