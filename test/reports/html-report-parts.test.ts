// The numbers behind report.html: failure messages grouped by what they say, not by what the
// run drew; pass rates over gradable exercises only; markup that escapes whatever a student wrote.
import { describe, expect, test } from "vitest";
import { submissionResult, type CheckResult, type ExerciseResult } from "../../graders/kit/grade/results.ts";
import { classStatistics } from "../../graders/kit/report/class-statistics.ts";
import { failureGroupKey, failurePattern } from "../../graders/kit/report/failure-pattern.ts";
import { html } from "../../graders/kit/report/html-markup.ts";
import { scoreBins } from "../../graders/kit/report/html-charts.ts";
import { resultsFileSchema, toResultsFile } from "../../graders/kit/report/results-file.ts";

const sameFailure = (a: string, b: string) => failureGroupKey(failurePattern(a)) === failureGroupKey(failurePattern(b));

describe("failure patterns", () => {
  test("messages that differ only by drawn names, paths, counts and addresses are one failure", () => {
    expect(
      sameFailure(
        `3 unlinked files of 7 had no line ending with the file's name, e.g. /tmp/abcdefgh/qwerty.txt: print "<comm> <parent> <file>" for every vfs_unlink call.`,
        `1 unlinked file of 8 had no line ending with the file's name, e.g. /tmp/zzzzzzzz/asdfghjk.log: print "<comm> <parent> <file>" for every vfs_unlink call.`,
      ),
    ).toBe(true);
    expect(
      sameFailure(
        `the first field should be the command name (comm), "rm-abcdef" for this workload, but 2 lines had something else.`,
        `the first field should be the command name (comm), "rm-qwerty" for this workload, but 1 line had something else.`,
      ),
    ).toBe(true);
    expect(
      sameFailure(
        `@long_block_times[0xff401198c1920ff0] counts 12 blocks, but the contender's threads blocked 34 times longer than $1 = 1200 µs (the longest 1.25 ms)`,
        `@long_block_times[0xff3a00c2d1e4a8b0] counts 3 blocks, but the contender's threads blocked 1 time longer than $1 = 1873 µs (the longest 640 ms)`,
      ),
    ).toBe(true);
    expect(sameFailure("kprobeme's open(2) calls returned 3 4 5, but only the first 2", "kprobeme's open(2) calls returned 3, 4, 5, 6, but only the first 1")).toBe(true);
  });

  test("what the grader says, as opposed to what the run drew, is kept", () => {
    expect(failurePattern("with $1 = 1500 µs, e.g. [512K, 1M): compare it with $1 * 1000, see open(2) and arg0 on 6.12.117")).toBe(
      "with $1 = N µs, e.g. [NK, NM): compare it with $1 * N, see open(2) and arg0 on 6.12.117",
    );
    expect(sameFailure("the script attaches to kprobe:vfs_unlink; use kfunc", "the script attaches to no probe; use kfunc")).toBe(false);
  });
});

function check(name: string, ok: boolean, message = "", excerpt: string[] = [], hidden = false): CheckResult {
  return { id: name.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 30), task: "t.bt", name, ok, points: ok ? 2 : 0, max: 2, hidden, message, excerpt };
}

function exercise(checks: CheckResult[], gradable = true, reason?: string): ExerciseResult {
  const score = gradable ? checks.reduce((sum, each) => sum + each.points, 0) : 0;
  return { id: "ex", title: "Ex", score, max: 2 * checks.length, gradable, ...(reason ? { reason } : {}), checks, notes: [], review: [], seed: 1 };
}

describe("class statistics", () => {
  const wrongComm = (comm: string, lines: number) => `the first field should be "${comm}", but ${lines} line${lines === 1 ? "" : "s"} had something else.`;
  const stats = classStatistics([
    submissionResult("a", [exercise([check("attaches", true), check("names", false, wrongComm("rm-aaaa", 1))])]),
    submissionResult("b", [exercise([check("attaches", true), check("names", false, wrongComm("rm-bbbb", 4), ["rm-bbbb x"])])]),
    submissionResult("c", [exercise([check("attaches", false, "the script attaches to no probe."), check("names", true)])]),
    submissionResult("d", [exercise([check("attaches", false, ""), check("names", false, "")], false, "vm: the lab machine was lost twice")]),
  ]);
  const [ex] = stats.exercises;

  test("pass rates count the gradable exercises only; a not gradable one is listed with its reason", () => {
    expect(ex?.checks.map((each) => [each.label, each.passed, each.graded])).toEqual([["attaches", 2, 3], ["names", 1, 3]]);
    expect(ex?.scores).toEqual([2, 2, 2]);
    expect(ex?.notGradable).toBe(1);
    expect(stats.totals).toEqual([2, 2, 2]);
    expect(stats.notGradable).toEqual([{ exercise: "ex", reason: "vm: the lab machine was lost twice", students: [{ index: 3, id: "d" }] }]);
  });

  test("failures are grouped by pattern, counted, and keep an example with an excerpt when one has it", () => {
    const names = ex?.checks[1]?.failures;
    expect(names).toHaveLength(1);
    expect(names?.[0]).toMatchObject({ pattern: 'the first field should be "…", but N line had something else.', count: 2, example: { student: { id: "b" }, excerpt: ["rm-bbbb x"] } });
  });
});

describe("report.html building blocks", () => {
  test("the html tag escapes every value that is not markup, in text and in attributes", () => {
    const hostile = `"><img src=x onerror=alert(1)><script>alert(2)</script>'&`;
    expect(html`<p title="${hostile}">${hostile}${[hostile]}</p>`.text).toBe(
      `<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;'&amp;">${"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;'&amp;".repeat(2)}</p>`,
    );
    expect(html`<b>${html`<i>${"<"}</i>`}</b>`.text).toBe("<b><i>&lt;</i></b>");
  });

  test("score bins: one per score up to 24 points, about twenty above", () => {
    expect(scoreBins([0, 3, 3, 7], 7).map((bin) => bin.count)).toEqual([1, 0, 0, 2, 0, 0, 0, 1]);
    const wide = scoreBins([0, 44, 45, 50], 50);
    expect(wide.length).toBeLessThanOrEqual(20);
    expect(wide.at(-1)).toEqual({ label: "48–50", count: 1 });
    expect(wide.reduce((sum, bin) => sum + bin.count, 0)).toBe(4);
  });

  test("figures survive results.json, so a merged report still draws them", () => {
    const figure = { kind: "histogram" as const, title: "waits", unit: "ns", series: [{ label: "yours", buckets: [{ low: 1024, high: 2048, count: 3 }, { low: 2048, high: null, count: 1 }] }] };
    const withFigure = { ...exercise([check("attaches", true)]), figures: [figure] };
    const file = resultsFileSchema.parse(JSON.parse(toResultsFile([submissionResult("a", [withFigure])], { index: 1, count: 1 }, 1)));
    expect(file.submissions[0]?.exercises[0]?.figures).toEqual([figure]);
  });
});
