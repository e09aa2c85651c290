// What the class report says about a class as a whole: per exercise, the scores; per check, how
// many passed and what those who failed were told, grouped by failure pattern; and which
// exercises could not be graded, and why.
import type { CheckResult, ExerciseResult, SubmissionResult } from "../grade/results.ts";
import { checkKey } from "./check-key.ts";
import { checkLabel } from "./check-label.ts";
import { failureGroupKey, failurePattern } from "./failure-pattern.ts";

/** Where an example comes from: the student's position in the class, for a link. */
export interface StudentRef {
  index: number;
  id: string;
}

export interface FailureGroup {
  /** The message with what each run drew replaced by placeholders. */
  pattern: string;
  count: number;
  example: { student: StudentRef; message: string; excerpt: string[] };
}

export interface CheckStatistics {
  label: string;
  max: number;
  hidden: boolean;
  /** Students whose exercise was gradable. */
  graded: number;
  passed: number;
  /** Most common first. */
  failures: FailureGroup[];
}

export interface ExerciseStatistics {
  id: string;
  title: string;
  max: number;
  /** The scores of the students whose exercise was gradable. */
  scores: number[];
  notGradable: number;
  checks: CheckStatistics[];
}

export interface NotGradableGroup {
  exercise: string;
  reason: string;
  students: StudentRef[];
}

export interface ClassStatistics {
  exercises: ExerciseStatistics[];
  /** Totals of the students every exercise of whom was gradable. */
  totals: number[];
  totalMax: number;
  notGradable: NotGradableGroup[];
}

interface CheckTally {
  stats: CheckStatistics;
  groups: Map<string, FailureGroup>;
}

function tallyOf(exercise: ExerciseResult, check: CheckResult): CheckTally {
  return { stats: { label: checkLabel(exercise, check), max: check.max, hidden: check.hidden, graded: 0, passed: 0, failures: [] }, groups: new Map() };
}

function countFailure(tally: CheckTally, check: CheckResult, student: StudentRef): void {
  const pattern = failurePattern(check.message);
  const key = failureGroupKey(pattern);
  const group = tally.groups.get(key);
  if (!group) tally.groups.set(key, { pattern, count: 1, example: { student, message: check.message, excerpt: check.excerpt } });
  else {
    group.count++;
    if (group.example.excerpt.length === 0 && check.excerpt.length > 0) group.example = { student, message: check.message, excerpt: check.excerpt };
  }
}

const byCountThenPattern = (a: FailureGroup, b: FailureGroup) => b.count - a.count || (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0);

export function classStatistics(submissions: readonly SubmissionResult[]): ClassStatistics {
  const exercises = new Map<string, { stats: ExerciseStatistics; checks: Map<string, CheckTally> }>();
  const notGradable = new Map<string, NotGradableGroup>();
  const totals: number[] = [];
  let totalMax = 0;
  for (const [index, submission] of submissions.entries()) {
    const student = { index, id: submission.id };
    if (submission.exercises.every((exercise) => exercise.gradable)) totals.push(submission.score);
    totalMax = Math.max(totalMax, submission.max);
    for (const exercise of submission.exercises) {
      let entry = exercises.get(exercise.id);
      if (!entry) {
        entry = { stats: { id: exercise.id, title: exercise.title, max: exercise.max, scores: [], notGradable: 0, checks: [] }, checks: new Map() };
        exercises.set(exercise.id, entry);
      }
      if (!exercise.gradable) {
        entry.stats.notGradable++;
        const reason = exercise.reason ?? "unknown reason";
        const key = `${exercise.id}\u0000${failureGroupKey(failurePattern(reason))}`;
        const group = notGradable.get(key) ?? { exercise: exercise.id, reason, students: [] };
        group.students.push(student);
        notGradable.set(key, group);
      } else entry.stats.scores.push(exercise.score);
      for (const check of exercise.checks) {
        const key = checkKey(check);
        let tally = entry.checks.get(key);
        if (!tally) {
          tally = tallyOf(exercise, check);
          entry.checks.set(key, tally);
        }
        if (!exercise.gradable) continue;
        tally.stats.graded++;
        if (check.ok) tally.stats.passed++;
        else countFailure(tally, check, student);
      }
    }
  }
  return {
    exercises: [...exercises.values()].map(({ stats, checks }) => ({
      ...stats,
      checks: [...checks.values()].map(({ stats: check, groups }) => ({ ...check, failures: [...groups.values()].sort(byCountThenPattern) })),
    })),
    totals,
    totalMax,
    notGradable: [...notGradable.values()],
  };
}
