// One student's upload on a grading platform (Gradescope, PrairieLearn), graded the way `bpflab
// grade` grades a class: only in the lab VM (under TCG: the platforms' containers have no KVM and
// are not privileged), with the VM fitted to the container, retried once on a fresh machine, and
// reported not gradable, never a zero, when the harness could not judge it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadExercise } from "../catalog.ts";
import type { Exercise } from "../exercise.ts";
import { notGradableResult } from "../grade/exercise-result.ts";
import { gradeSubmissions } from "../grade/grade-submissions.ts";
import { submissionResult, type SubmissionResult } from "../grade/results.ts";
import { resourceLimits } from "../host/cgroup-limits.ts";
import { untrustedSubmissions } from "../machine/isolation.ts";
import { LabProvider } from "../machine/lab-provider.ts";
import { chooseVmSize } from "../machine/vm/vm-shape.ts";
import { newSeed } from "../run/random.ts";
import { backendsFor } from "../session.ts";
import type { Progress } from "../ui/progress.ts";
import { layOutUpload } from "./upload-layout.ts";

export interface UploadGrade {
  submission: SubmissionResult;
  /** What the student should read before the checks: where their files were found, what was missing. */
  notes: string[];
}

export interface GradeUploadOptions {
  exercises: readonly string[];
  transcriptDir: string;
  exerciseTimeoutMs: number;
  progress: Progress;
}

const submissionId = "upload";

function allNotGradable(exercises: readonly Exercise[], reason: string): SubmissionResult {
  const seed = newSeed();
  return submissionResult(submissionId, exercises.map((exercise) => notGradableResult(exercise, seed, reason)));
}

export async function gradeUpload(upload: string, options: GradeUploadOptions): Promise<UploadGrade> {
  const exercises = await Promise.all(options.exercises.map((id) => loadExercise(id)));
  // Checked before anything boots, so that a container too small says so in the results, once.
  const size = chooseVmSize(resourceLimits(), process.env);
  if ("refused" in size) return { submission: allNotGradable(exercises, size.refused), notes: [] };
  options.progress.step(`lab VM: ${size.why}`);

  const workDir = await mkdtemp(join(tmpdir(), "bpflab-upload-"));
  try {
    const layout = await layOutUpload(upload, exercises, workDir, options.progress);
    const [submission] = await gradeSubmissions([{ id: submissionId, root: layout.root }], {
      exercises: options.exercises,
      seed: newSeed(),
      transcriptDir: options.transcriptDir,
      jobs: 1,
      newProvider: () => new LabProvider(backendsFor("vm", options.progress), options.progress, untrustedSubmissions),
      exerciseTimeoutMs: options.exerciseTimeoutMs,
    });
    return { submission: submission ?? allNotGradable(exercises, "bpflab graded nothing"), notes: layout.notes };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
