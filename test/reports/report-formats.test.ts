// Every report is a view of the same results: TAP (read back with tap-parser), the summaries,
// CSV, results.json, Gradescope and PrairieLearn must agree on every score, and keep "not
// gradable" apart from zero.
import { Parser } from "tap-parser";
import { describe, expect, test } from "vitest";
import { toCsv } from "../../graders/kit/report/csv.ts";
import { toGradescope } from "../../graders/kit/report/gradescope.ts";
import { toJsonReport } from "../../graders/kit/report/json.ts";
import { toPrairieLearn } from "../../graders/kit/report/prairielearn.ts";
import { resultsFileSchema, toResultsFile } from "../../graders/kit/report/results-file.ts";
import { summaryFromTap } from "../../graders/kit/report/summary.ts";
import { toTap } from "../../graders/kit/report/tap.ts";
import { classResults } from "./class-results.ts";

/** RFC 4180, enough for the summary: quoted cells with doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") row.push(cell), (cell = "");
    else if (char === "\r" && text[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    else cell += char;
  }
  return rows;
}

function tapCounts(tap: string): { ok: boolean; count: number; pass: number; fail: number; skip: number; tapErrors: number } {
  let final = { ok: false, count: 0, pass: 0, fail: 0, skip: 0, tapErrors: 0 };
  const parser = new Parser((results) => {
    final = { ok: results.ok, count: results.count, pass: results.pass, fail: results.fail, skip: results.skip, tapErrors: results.failures.filter((failure) => "tapError" in failure && failure.tapError).length };
  });
  parser.end(tap);
  return final;
}

describe("report formats", () => {
  const tap = toTap(classResults);
  const summary = summaryFromTap(tap);

  test("the TAP is well-formed TAP 14: one test point per student, no parse errors", () => {
    expect(tap.startsWith("TAP version 14\n1..4\n")).toBe(true);
    expect(tapCounts(tap)).toMatchObject({ count: 4, tapErrors: 0 });
  });

  test("descriptions escape # and backslash and subtest names match their closing test point", () => {
    expect(tap).toContain('# Subtest: =cmd|" -C calc"!A0 \\#1, \\\\x (');
    const lines = tap.split("\n");
    for (const [index, line] of lines.entries()) {
      const subtest = /^(\s*)# Subtest: (.*)$/.exec(line);
      if (!subtest) continue;
      const closing = lines.slice(index + 1).find((later) => new RegExp(`^${subtest[1]}(not )?ok \\d+ - `).test(later));
      expect(closing?.replace(/^\s*(not )?ok \d+ - /, "").replace(/ # SKIP.*$/, "")).toBe(subtest[2]);
    }
  });

  test("a not gradable exercise is a SKIP with its reason on one line, never a failure", () => {
    expect(tap).toContain("ok 2 - fget-retval (not gradable) # SKIP not gradable: vm: could not start: qemu exited");
    expect(summary.students.find((student) => student.student === "carol")?.exercises["fget-retval"]).toEqual({
      score: null,
      max: 4,
      gradable: false,
      reason: "vm: could not start: qemu exited",
    });
  });

  test("TAP, summary, results JSON and CSV agree on every score", () => {
    const rows = parseCsv(toCsv(summary));
    const header = rows[0]!;
    const json = JSON.parse(toJsonReport(classResults)) as { submissions: Array<{ id: string; score: number; max: number; exercises: Array<{ id: string; score: number; gradable: boolean }> }> };
    const file = resultsFileSchema.parse(JSON.parse(toResultsFile(classResults, { index: 1, count: 1 }, classResults.length)));
    expect(summary.students.map((student) => student.student)).toEqual(classResults.map((submission) => submission.id));
    for (const [index, submission] of classResults.entries()) {
      const row = Object.fromEntries(header.map((column, at) => [column, rows[index + 1]![at]]));
      const fromTap = summary.students[index]!;
      expect(row.student?.replace(/^'/, "")).toBe(submission.id);
      expect([fromTap.total, Number(row.total), json.submissions[index]!.score, file.submissions[index]!.score]).toEqual(Array(4).fill(submission.score));
      expect([fromTap.max, Number(row.max), json.submissions[index]!.max]).toEqual(Array(3).fill(submission.max));
      expect(row.gradable).toBe(String(submission.exercises.every((exercise) => exercise.gradable)));
      for (const exercise of submission.exercises) {
        const expected = exercise.gradable ? exercise.score : null;
        expect(fromTap.exercises[exercise.id]?.score).toBe(expected);
        expect(row[exercise.id]).toBe(expected === null ? "" : String(expected));
        expect(json.submissions[index]!.exercises.find((each) => each.id === exercise.id)?.gradable).toBe(exercise.gradable);
      }
    }
  });

  test("the CSV keeps a spreadsheet from reading a student id as a formula", () => {
    expect(toCsv(summary)).toContain(`"'=cmd|"" -C calc""!A0 #1, \\x"`);
  });

  test("Gradescope: scores add up, hidden checks are hidden until published, not gradable carries no score", () => {
    const bob = toGradescope(classResults[1]!, "after_published");
    expect(bob.score).toBe(classResults[1]!.score);
    expect(bob.tests.reduce((sum, each) => sum + (each.score ?? 0), 0)).toBe(bob.score);
    expect(bob.tests.find((each) => each.name.includes("prints each file once"))).toMatchObject({ visibility: "after_published", status: "failed", score: 0, max_score: 3 });
    expect(bob.tests.find((each) => each.name.includes("names the parent"))).toMatchObject({ visibility: "visible", output: expect.stringContaining("Your script printed:") });
    expect(toGradescope(classResults[1]!, "hidden").tests.filter((each) => each.visibility === "hidden")).toHaveLength(1);
    const carol = toGradescope(classResults[2]!, "after_published");
    expect(carol.extra_data).toEqual({ gradable: false, not_gradable: ["fget-retval"], ran_on: ["vm: a kernel of its own"] });
    expect(carol.tests.find((each) => each.name.startsWith("fget-retval"))).not.toHaveProperty("score");
    expect(carol.output).toContain("not a zero");
  });

  test("PrairieLearn: score in [0, 1], hidden checks only as a total, not gradable is gradable: false", () => {
    const bob = toPrairieLearn(classResults[1]!);
    expect(bob).toMatchObject({ gradable: true, score: classResults[1]!.score / classResults[1]!.max });
    expect(bob.tests.some((each) => each.name.includes("prints each file once"))).toBe(false);
    expect(bob.tests.find((each) => each.name.includes("hidden checks"))).toMatchObject({ points: 0, max_points: 3 });
    expect(bob.tests.reduce((sum, each) => sum + each.points, 0)).toBe(classResults[1]!.score);
    const carol = toPrairieLearn(classResults[2]!);
    expect(carol).toMatchObject({ gradable: false, format_errors: [expect.stringContaining("fget-retval could not be graded")] });
    expect(carol).not.toHaveProperty("score");
  });

  describe("where the scripts ran: every report names the backend, and the host's kernel only with trusted submissions", () => {
    const trusted = "container: the host's kernel, submissions trusted (--trust-submissions)";

    test("TAP: a comment per place after the plan, and backend, kernel and trust in each exercise's diagnostics", () => {
      expect(tap.split("\n").slice(0, 4)).toEqual(["TAP version 14", "1..4", "# ran on vm: a kernel of its own", `# ran on ${trusted}`]);
      expect(tap).toMatch(/exercise: "fget-retval"\n(.*\n)*? +backend: "container"\n +kernel: "host"\n +trust: "trusted-submissions"/);
      expect(tapCounts(tap)).toMatchObject({ count: 4, tapErrors: 0 });
    });

    test("summary and CSV: read back from the TAP", () => {
      const bob = summary.students.find((student) => student.student === "bob")!;
      expect(bob.exercises["fget-retval"]).toMatchObject({ backend: "container", isolation: { kernel: "host", trust: "trusted-submissions" } });
      expect(bob.exercises["vfs-unlink"]).toMatchObject({ backend: "vm", isolation: { kernel: "own" } });
      expect(summary.students.find((student) => student.student === "carol")?.exercises["fget-retval"]).not.toHaveProperty("backend");
      const rows = parseCsv(toCsv(summary));
      const column = rows[0]!.indexOf("ran_on");
      expect(rows.slice(1).map((row) => row[column])).toEqual([
        "vm: a kernel of its own",
        `vm: a kernel of its own; ${trusted}`,
        "vm: a kernel of its own",
        "vm: a kernel of its own",
      ]);
    });

    test("JSON, results.json and Gradescope", () => {
      const json = JSON.parse(toJsonReport(classResults)) as { submissions: Array<{ exercises: Array<{ backend?: string; isolation?: unknown }> }> };
      expect(json.submissions[1]!.exercises[1]).toMatchObject({ backend: "container", isolation: { kernel: "host", trust: "trusted-submissions" } });
      const file = resultsFileSchema.parse(JSON.parse(toResultsFile(classResults, { index: 1, count: 1 }, classResults.length)));
      expect(file.submissions[1]!.exercises[1]!.isolation).toEqual({ kernel: "host", trust: "trusted-submissions" });
      expect(toGradescope(classResults[1]!, "hidden").extra_data.ran_on).toEqual(["vm: a kernel of its own", trusted]);
    });

    test("a report that claims an untrusted submission ran on the host's kernel is refused when read back", () => {
      const forged = tap.replace('trust: "trusted-submissions"', 'trust: "untrusted"').replace(/(kernel: "host"\n +trust: )"trusted-submissions"/, '$1"untrusted"');
      expect(() => summaryFromTap(forged)).toThrow(/kernel host with trust untrusted/);
    });
  });
});
