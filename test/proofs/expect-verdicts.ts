// The assertion every proof makes, live or replayed: the case fails exactly the checks it should,
// with messages a student can act on.
import { expect } from "vitest";
import type { ExerciseResult } from "../../graders/kit/grade/results.ts";
import type { ProofCase } from "./cases.ts";

export function describeFailures(result: ExerciseResult): string {
  const failed = result.checks.filter((check) => !check.ok);
  return `seed ${result.seed}, ${result.score}/${result.max}: ${failed.map((check) => `[${check.id}] ${check.message}`).join("; ")}`;
}

export function expectVerdicts(result: ExerciseResult, proof: ProofCase): void {
  expect(result.gradable, result.reason).toBe(true);
  const ids = result.checks.map((check) => check.id);
  for (const id of proof.fails) expect(ids, `${proof.name} expects a check "${id}" to fail`).toContain(id);
  const failed = result.checks.filter((check) => !check.ok);
  const why = proof.because ? ` (in this lab: ${proof.because})` : "";
  expect(failed.map((check) => check.id).sort(), `${describeFailures(result)}${why}`).toEqual([...proof.fails].sort());
  for (const check of failed) expect(check.message.length, `message of ${check.id}`).toBeGreaterThan(20);
}
