// One GitHub Classroom autograding step: did this check pass in the grade run the workflow's first
// step made? The workflow (export/classroom-workflow.ts) runs one such step per check, each worth
// the check's points, so Classroom gives partial credit while the lab VM runs once.
//   tsx graders/kit/cli/classroom-check.ts <grade --out folder> <exercise> <check>
// Exit status 0 when the check passed, 1 (with the student's message) when it did not.
import { readResultsFile } from "../report/results-file.ts";
import { studentMessage } from "../report/student-message.ts";

async function checkPassed(out: string, exerciseId: string, checkId: string): Promise<{ passed: boolean; text: string }> {
  const results = await readResultsFile(out);
  const exercise = results.submissions[0]?.exercises.find((graded) => graded.id === exerciseId);
  if (!exercise) return { passed: false, text: `${out} holds no result for ${exerciseId}: did the grading step run?` };
  if (!exercise.gradable) return { passed: false, text: `${exerciseId} was not graded: ${exercise.reason ?? "unknown reason"}. This is not a zero: push again to regrade.` };
  const check = exercise.checks.find((checked) => checked.id === checkId);
  if (!check) return { passed: false, text: `${exerciseId} has no check ${checkId}: the workflow does not match the graders; export the repository again.` };
  return check.ok ? { passed: true, text: `passed: ${check.name}` } : { passed: false, text: `failed: ${check.name}\n${studentMessage(check, exercise)}` };
}

const [out, exerciseId, checkId] = process.argv.slice(2);
if (!out || !exerciseId || !checkId) {
  process.stderr.write("usage: classroom-check.ts <grade --out folder> <exercise> <check>\n");
  process.exit(2);
}
try {
  const { passed, text } = await checkPassed(out, exerciseId, checkId);
  process.stdout.write(`${text}\n`);
  process.exitCode = passed ? 0 : 1;
} catch (error) {
  process.stdout.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
