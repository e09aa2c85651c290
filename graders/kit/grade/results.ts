// Grading produces these; every report (vitest, TAP, JSON, CSV, ...) is a view of them.
import type { Isolation } from "../machine/isolation.ts";
import type { MachineInfo } from "../machine/lab-machine.ts";

/** One bucket of a histogram, [low, high); a null bound is open, as in bpftrace's hist(). */
export interface FigureBucket {
  low: number | null;
  high: number | null;
  count: number;
}

/**
 * Histograms drawn side by side over the same buckets, e.g. the student's @long_block_times
 * beside the waits the kernel's lock trace recorded. The HTML report draws them.
 */
export interface HistogramFigure {
  kind: "histogram";
  title: string;
  /** What the bucket bounds measure, e.g. "ns". */
  unit: string;
  series: Array<{ label: string; buckets: FigureBucket[] }>;
}

/** Data a grader may attach for reports to draw; optional everywhere. */
export type Figure = HistogramFigure;

export interface CheckResult {
  /** The check's stable id, unique in its exercise: what reports, proofs and regrades key it by. */
  id: string;
  /** The task (script run) the check belongs to. */
  task: string;
  name: string;
  ok: boolean;
  points: number;
  max: number;
  hidden: boolean;
  /** Empty when ok; otherwise a sentence the student can act on. */
  message: string;
  /** A few lines of the student's output that show the problem. */
  excerpt: string[];
}

export interface ReviewAnswer {
  file: string;
  question: string;
  /** The student's answer, or undefined when the file is missing or unusable. */
  answer?: string;
}

export interface ExerciseResult {
  id: string;
  title: string;
  score: number;
  max: number;
  /** False when the harness could not grade (no backend, machine lost twice, ...): never a zero. */
  gradable: boolean;
  reason?: string;
  checks: CheckResult[];
  /** What the student should know beyond the checks: normalized files, runs cut short. */
  notes: string[];
  /** Written answers for the instructor to read; they carry no points. */
  review: ReviewAnswer[];
  seed: number;
  machine?: MachineInfo;
  /** Whose kernel the scripts ran on (machine.backend says which backend) and why that was allowed. */
  isolation?: Isolation;
  /** Where the run's transcript was written. */
  transcript?: string;
  figures?: Figure[];
}

export interface SubmissionResult {
  id: string;
  score: number;
  max: number;
  exercises: ExerciseResult[];
}

export function scored(checks: CheckResult[]): { score: number; max: number } {
  return {
    score: checks.reduce((sum, check) => sum + (check.ok ? check.points : 0), 0),
    max: checks.reduce((sum, check) => sum + check.max, 0),
  };
}

export function submissionResult(id: string, exercises: ExerciseResult[]): SubmissionResult {
  return {
    id,
    score: exercises.reduce((sum, exercise) => sum + exercise.score, 0),
    max: exercises.reduce((sum, exercise) => sum + exercise.max, 0),
    exercises,
  };
}
