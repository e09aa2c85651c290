// A run whose workloads did not bring about what the checks need proves nothing about the
// script: the kit runs the task again with a new plan, and after three such runs calls the
// exercise not gradable instead of scoring it. Graded for real in the lab machine.
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { pass } from "../../graders/kit/exercise.ts";
import { gradeExercise } from "../../graders/kit/grade/grade-exercise.ts";
import { sharedLabProvider } from "../../graders/kit/session.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";
import { unlinker } from "../../graders/kit/workloads/unlinker.ts";
import { recordsOf } from "../../graders/kit/workloads/workload.ts";
import { vfsUnlinkVariant } from "../support/vfs-unlink-variant.ts";

const solutions = fileURLToPath(new URL("../../solutions", import.meta.url));

/** An exercise whose one task is inconclusive for its first `inconclusiveRuns` runs. */
function flakyWorkload(inconclusiveRuns: number) {
  const plans: string[] = [];
  const spec = vfsUnlinkVariant("A workload that does not always do what the checks need", {
    name: "the reference vfs-unlink.bt against an unlinker that unlinks a file named by its plan",
    plan: (random) => `f${random.int(1, 1_000_000_000)}`,
    workloads: { unlinker },
    launch: (name) => ({ unlinker: { steps: [{ op: "unlink" as const, dir: "/tmp/inconclusive", name }] } }),
    inconclusive: ({ plan, records }) => {
      plans.push(plan);
      expect(recordsOf(records.unlinker, "unlink").map((record) => record.name)).toEqual([plan]);
      return plans.length <= inconclusiveRuns ? `run ${plans.length} was made inconclusive on purpose` : undefined;
    },
    checks: [{ id: "conclusive", name: "judged only on a conclusive run", points: 1, verify: () => pass }],
  });
  return { spec, plans };
}

describe("runs that cannot judge the checks", () => {
  const provider = sharedLabProvider("vm", silentProgress);

  test("are run again with a new plan, and the run that can judge is graded", async () => {
    const { spec, plans } = flakyWorkload(1);
    const result = await gradeExercise(spec, solutions, provider, { seed: 7 });
    expect(result.gradable, result.reason).toBe(true);
    expect(result.score).toBe(1);
    expect(plans).toHaveLength(2);
    expect(plans[0]).not.toBe(plans[1]);
    expect(result.notes.join("\n")).toMatch(/vfs-unlink\.bt: run 1 could not judge the checks \(run 1 was made inconclusive on purpose\); ran it again/);
  }, 300_000);

  test("three in a row make the exercise not gradable, never a zero, with the reason", async () => {
    const { spec, plans } = flakyWorkload(Infinity);
    const result = await gradeExercise(spec, solutions, provider, { seed: 7 });
    expect(plans).toHaveLength(3);
    expect(result.gradable).toBe(false);
    expect(result.reason).toMatch(/run 3 was made inconclusive on purpose \(3 runs in a row\)/);
    expect(result.checks.map((check) => check.message)).toEqual([expect.stringMatching(/^not gradable: /)]);
  }, 300_000);

  test("the first run's plan depends on the seed alone, so that --seed replays it", async () => {
    const first = flakyWorkload(0);
    const again = flakyWorkload(0);
    await gradeExercise(first.spec, solutions, provider, { seed: 11 });
    await gradeExercise(again.spec, solutions, provider, { seed: 11 });
    expect(again.plans).toEqual(first.plans);
  }, 300_000);
});
