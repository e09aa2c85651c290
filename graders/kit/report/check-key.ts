import type { CheckResult } from "../grade/results.ts";

/** What identifies a check within its exercise, across students: the reports group by it. */
export function checkKey(check: Pick<CheckResult, "id">): string {
  return check.id;
}
