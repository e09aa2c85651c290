// What a regrade changed, per student and exercise, in lines an instructor reads.
import type { RegradedExercise } from "./regrade-class.ts";

function pointsOf(result: RegradedExercise["before"]): Map<string, { points: number; max: number }> {
  return new Map(result.checks.map((check) => [check.id, { points: check.points, max: check.max }]));
}

/** One line per student and exercise whose awarded points changed, and one per exercise kept as recorded. */
export function describeChanges(exercises: readonly RegradedExercise[]): string[] {
  return exercises.flatMap(({ student, before, after, kept }) => {
    const where = `${student} ${after.id}`;
    if (kept) return [`${where}: kept as recorded (${kept})`];
    if (before.gradable !== after.gradable) return [`${where}: ${before.gradable ? `${before.score}/${before.max}` : "not gradable"} -> ${after.gradable ? `${after.score}/${after.max}` : `not gradable: ${after.reason ?? ""}`}`];
    const old = pointsOf(before);
    const changed = after.checks.flatMap((check) => {
      const was = old.get(check.id);
      if (!was) return [`${check.id} new, ${check.points}/${check.max}`];
      return was.points !== check.points ? [`${check.id} ${was.points} -> ${check.points}`] : [];
    });
    const dropped = [...old.keys()].filter((id) => !after.checks.some((check) => check.id === id)).map((id) => `${id} dropped`);
    const all = [...changed, ...dropped];
    return all.length === 0 ? [] : [`${where}: ${before.score}/${before.max} -> ${after.score}/${after.max} (${all.join("; ")})`];
  });
}
