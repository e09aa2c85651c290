// bpflab regrade judges a graded class again from its recorded runs, without a lab machine: with
// today's graders unchanged it gives back what was graded; after a grader changes, exactly the
// students whose points change are reported; a grader that now plans differently is refused.
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadExercise } from "../../graders/kit/catalog.ts";
import { pass, task, type Exercise, type Task } from "../../graders/kit/exercise.ts";
import { describeChanges } from "../../graders/kit/grade/regrade-changes.ts";
import { regradeClass } from "../../graders/kit/grade/regrade-class.ts";
import { regradeExercise } from "../../graders/kit/grade/regrade-exercise.ts";
import { readTranscript, transcriptFileName } from "../../graders/kit/grade/transcript.ts";
import { proofCases, recordedTranscript } from "../proofs/cases.ts";
import { loadLab } from "../../vm/labs.ts";
import { unlinker } from "../../graders/kit/workloads/unlinker.ts";

const lab = "trixie";
const exercise = "vfs-unlink";
const cases = async () => proofCases(await loadExercise(exercise), loadLab(lab));

/** A class of transcripts, one student per proof case of vfs-unlink, as `grade --transcripts` lays them out. */
async function classOfTranscripts(): Promise<{ dir: string; students: Map<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), "bpflab-regrade-"));
  const students = new Map<string, string>();
  for (const proof of await cases()) {
    const student = proof.name.replace("/", "-");
    const transcript = { ...(await readTranscript(recordedTranscript(lab, proof))), submission: student };
    await mkdir(join(dir, `${student}-${exercise}`), { recursive: true });
    await writeFile(join(dir, `${student}-${exercise}`, transcriptFileName), JSON.stringify(transcript));
    students.set(student, proof.name);
  }
  return { dir, students };
}

/** The exercise with one check's points changed: a task is rebuilt around the same plan and checks. */
function withPoints(original: Exercise, id: string, points: number): Exercise {
  const tasks = original.tasks.map((each): Task => ({ ...each, checks: each.checks.map((check) => (check.id === id ? { ...check, points } : check)) }));
  return { ...original, tasks };
}

describe("bpflab regrade", () => {
  test("with unchanged graders gives every student the result recorded, and reports no change", async () => {
    const { dir, students } = await classOfTranscripts();
    const regraded = await regradeClass(dir);
    expect(regraded.submissions.map((submission) => submission.id).sort()).toEqual([...students.keys()].sort());
    for (const each of regraded.exercises) {
      expect(each.kept).toBeUndefined();
      expect(each.after.checks).toEqual(each.before.checks);
    }
    expect(describeChanges(regraded.exercises)).toEqual([]);
  });

  test("after a check's points change, reports exactly the students who passed it", async () => {
    const { dir } = await classOfTranscripts();
    const changed = withPoints(await loadExercise(exercise), "parent", 3);
    const regraded = await regradeClass(dir, async () => changed);
    const passedParent = regraded.exercises.filter((each) => each.before.checks.some((check) => check.id === "parent" && check.ok)).map((each) => each.student);
    expect(passedParent.length).toBeGreaterThan(0);
    const changes = describeChanges(regraded.exercises);
    expect(changes.map((line) => line.split(" ")[0]).sort()).toEqual(passedParent.sort());
    for (const line of changes) expect(line).toMatch(/parent 2 -> 3/);
  });

  test("a grader that now draws another plan is refused: the evidence does not fit it", async () => {
    const original = await loadExercise(exercise);
    const [first] = original.tasks;
    if (!first) throw new Error("vfs-unlink has a task");
    const replanned: Exercise = {
      ...original,
      tasks: [
        task({
          name: first.name,
          script: first.script,
          output: "text",
          plan: (random) => ({ name: random.word(9) }),
          workloads: { unlinker },
          launch: ({ name }) => ({ unlinker: { steps: [{ op: "unlink" as const, dir: "/tmp/x", name }] } }),
          checks: first.checks.map((check) => ({ ...check, verify: () => pass })),
        }),
      ],
    };
    const [proof] = await cases();
    if (!proof) throw new Error("vfs-unlink has proof cases");
    const regrade = regradeExercise(replanned, await readTranscript(recordedTranscript(lab, proof)));
    expect(regrade).toEqual({ kind: "refused", reason: expect.stringMatching(/now draws its plan and its workloads differently .*: it needs a real regrade/) });
  });

  test("keeps the recorded result of an exercise it cannot judge, and says why", async () => {
    const { dir } = await classOfTranscripts();
    const regraded = await regradeClass(dir, async () => {
      const original = await loadExercise(exercise);
      return { ...original, tasks: [...original.tasks, ...original.tasks] };
    });
    for (const each of regraded.exercises) {
      expect(each.kept).toMatch(/has 2 tasks, the transcript 1: it needs a real regrade/);
      expect(each.after).toEqual(each.before);
    }
  });

  test("reads its own transcripts back as written: the schema holds every field a check reads", async () => {
    const [proof] = await cases();
    if (!proof) throw new Error("vfs-unlink has proof cases");
    const text = await readFile(recordedTranscript(lab, proof), "utf8");
    const transcript = await readTranscript(recordedTranscript(lab, proof));
    expect(JSON.parse(JSON.stringify(transcript))).toEqual(JSON.parse(text));
  });
});
