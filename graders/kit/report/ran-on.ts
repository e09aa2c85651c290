// Where an exercise's scripts ran, as the reports state it: the backend, whose kernel, and
// why that kernel was allowed (docs/threat-model.md).
import type { ExerciseResult, SubmissionResult } from "../grade/results.ts";
import { describeIsolation, type Isolation } from "../machine/isolation.ts";
import type { BackendName } from "../machine/lab-machine.ts";

/** "vm: a kernel of its own", "container: the host's kernel, submissions trusted (--trust-submissions)"; undefined when nothing ran. */
export function ranOn(backend: BackendName | undefined, isolation: Isolation | undefined): string | undefined {
  return backend && isolation ? `${backend}: ${describeIsolation(isolation)}` : undefined;
}

export function exerciseRanOn(exercise: ExerciseResult): string | undefined {
  return ranOn(exercise.machine?.backend, exercise.isolation);
}

/** Every distinct place the scripts of these submissions ran, in order of first appearance. */
export function placesRanOn(submissions: readonly SubmissionResult[]): string[] {
  const places = submissions.flatMap((submission) => submission.exercises.map(exerciseRanOn)).filter((place) => place !== undefined);
  return [...new Set(places)];
}
