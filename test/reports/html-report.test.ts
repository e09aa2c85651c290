// report.html in a real browser (Debian's Chromium, headless, offline): it loads without an
// error or a request, says what summary.json says, has table headers and chart descriptions,
// fits a 1280 px screen and a 390 px phone, runs nothing a student wrote, and stays small and
// quick for a class of 500. Screenshots go to .bpflab/screenshots/ for a person to look at.
import { mkdir, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { submissionResult, type ExerciseResult, type HistogramFigure, type SubmissionResult } from "../../graders/kit/grade/results.ts";
import { toClassHtml, toStudentHtml } from "../../graders/kit/report/html.ts";
import { writeReportSet } from "../../graders/kit/report/report-set.ts";
import type { ClassSummary } from "../../graders/kit/report/summary.ts";
import { launchChromium, missingBrowser, openPage } from "../support/browser.ts";
import { classResults } from "./class-results.ts";
import { classOfSix, generatedClass, recordedLockWaits } from "./recorded-class.ts";

const screenshots = join(process.cwd(), ".bpflab", "screenshots");
const noBrowser = missingBrowser();
if (noBrowser) process.stderr.write(`report.html browser tests skipped: ${noBrowser}\n`);

/** A student who writes markup everywhere a student can write something. */
const hostileStudent = submissionResult(`"><img src=x onerror=window.__pwned=1>`, [
  {
    id: "vfs-unlink",
    title: "vfs-unlink",
    score: 0,
    max: 3,
    gradable: true,
    checks: [
      {
        id: "parent",
        task: "vfs-unlink.bt",
        name: "names the parent directory of each unlinked file",
        ok: false,
        points: 0,
        max: 3,
        hidden: false,
        message: `the second field should be "</p><script>window.__pwned=2</script>", but it was "><img src=x onerror=window.__pwned=3>.`,
        excerpt: ["<script>window.__pwned = 4</script>", `"><img src=x onerror="window.__pwned=5">`, "<style>body { display: none }</style>"],
      },
    ],
    notes: [`<a href="javascript:window.__pwned=6">a note</a>`],
    review: [{ file: "answers.md", question: "Why?", answer: "</pre><script>window.__pwned=7</script>" }],
    seed: 7,
    transcript: "javascript:window.__pwned=8",
  },
]);

function withFigures(submissions: SubmissionResult[], figures: Record<string, HistogramFigure>): SubmissionResult[] {
  return submissions.map((submission) => ({
    ...submission,
    exercises: submission.exercises.map((exercise) => {
      const figure = exercise.id === "lock-contention" ? figures[submission.id] : undefined;
      return figure ? { ...exercise, figures: [figure] } : exercise;
    }),
  }));
}

const allDetailsOpen = (page: Page) => page.evaluate(() => document.querySelectorAll("details").forEach((details) => details.setAttribute("open", "")));
const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe.skipIf(noBrowser !== undefined)("report.html in Chromium", () => {
  let browser: Browser;
  let dir: string;
  let summary: ClassSummary;
  let lockWaits: { right: HistogramFigure; microseconds: HistogramFigure };
  let url: string;

  beforeAll(async () => {
    browser = await launchChromium();
    dir = await mkdtemp(join(tmpdir(), "bpflab-html-"));
    await mkdir(screenshots, { recursive: true });
    lockWaits = { right: await recordedLockWaits("keeps-start-times"), microseconds: await recordedLockWaits("microseconds") };
    // The recorded class (ada's lock-contention keeps its start times, bo's stores microseconds),
    // the constructed one (a hidden check, a not gradable exercise, a CSV-hostile id), and a
    // student who writes markup.
    const recorded = withFigures(await classOfSix(), { ada: lockWaits.right, bo: lockWaits.microseconds });
    await writeReportSet(dir, { submissions: [...recorded, ...classResults, hostileStudent], shard: { index: 1, count: 1 }, classSize: 11, hiddenVisibility: "after_published" });
    summary = JSON.parse(await readFile(join(dir, "summary.json"), "utf8")) as ClassSummary;
    url = pathToFileURL(join(dir, "report.html")).href;
  });

  afterAll(async () => {
    await browser?.close();
  });

  test("loads offline at 1280 and 390 px: no console error, no request, no horizontal scrolling", async () => {
    for (const width of [1280, 390]) {
      const watched = await openPage(browser, width);
      await watched.page.goto(url);
      await watched.page.screenshot({ path: join(screenshots, `class-${width}.png`), fullPage: true });
      await allDetailsOpen(watched.page);
      expect(await horizontalOverflow(watched.page), `${width} px`).toBeLessThanOrEqual(0);
      await watched.page.goto(`${url}#student-2`);
      await watched.page.screenshot({ path: join(screenshots, `class-${width}-student.png`) });
      expect(watched.errors, `${width} px`).toEqual([]);
      expect(watched.outside, `${width} px`).toEqual([]);
      await watched.close();
    }
  });

  test("says what summary.json says: every student's score per exercise, total and max", async () => {
    const watched = await openPage(browser, 1280);
    await watched.page.goto(url);
    const table = await watched.page.$$eval("table", (tables) => {
      const index = tables.find((table) => table.caption?.textContent === "Every student's score per exercise");
      if (!index) return undefined;
      const cells = (row: HTMLTableRowElement) => [...row.cells].map((cell) => cell.textContent ?? "");
      return { head: cells(index.tHead!.rows[0]!), rows: [...index.tBodies[0]!.rows].map(cells) };
    });
    expect(table?.head).toEqual(["Student", ...summary.exercises, "Total", "Max", "Gradable"]);
    const expected = summary.students.map((student) => [
      student.student,
      ...summary.exercises.map((id) => {
        const score = student.exercises[id];
        return score === undefined ? "" : score.gradable ? String(score.score) : "not gradable";
      }),
      String(student.total),
      String(student.max),
      student.gradable ? "yes" : "no",
    ]);
    expect(table?.rows).toEqual(expected);

    const perExercise = await watched.page.$$eval("table", (tables) => {
      const overview = tables.find((table) => table.caption?.textContent?.startsWith("Scores by exercise"));
      return [...(overview?.tBodies[0]?.rows ?? [])].map((row) => [...row.cells].map((cell) => cell.textContent ?? ""));
    });
    const gradedScores = (id: string) => summary.students.flatMap((student) => (student.exercises[id]?.gradable ? [student.exercises[id]!.score!] : []));
    expect(perExercise.map((row) => row.slice(0, 4))).toEqual(
      summary.exercises.map((id) => {
        const scores = gradedScores(id);
        const max = summary.students.find((student) => student.exercises[id])!.exercises[id]!.max;
        return [id, String(scores.length), String(summary.students.filter((student) => student.exercises[id]?.gradable === false).length), `${(scores.reduce((sum, score) => sum + score, 0) / scores.length).toFixed(1)} / ${max}`];
      }),
    );
    const facts = await watched.page.$$eval("ul.facts li", (items) => items.map((item) => item.textContent ?? ""));
    expect(facts[0]).toBe(`${summary.students.length}students`);
    expect(facts[1]).toBe(`${summary.students.filter((student) => student.gradable).length}graded in full`);
    await watched.close();
  });

  test("every table has a name and column headers, every row a row header", async () => {
    const watched = await openPage(browser, 1280);
    await watched.page.goto(url);
    const problems = await watched.page.$$eval("table", (tables) =>
      tables.flatMap((table, index) => {
        const labelledBy = table.getAttribute("aria-labelledby");
        const name = table.caption?.textContent || (labelledBy ? document.getElementById(labelledBy)?.textContent : "");
        const columns = table.tHead?.querySelectorAll("th[scope=col]").length ?? 0;
        const rows = [...table.tBodies].flatMap((body) => [...body.rows]).filter((row) => !row.classList.contains("detail"));
        const headless = rows.filter((row) => !row.cells[0]?.matches("th[scope=row], th[scope=rowgroup]")).length;
        return [!name ? `table ${index} has no name` : "", columns === 0 ? `table ${index} has no column headers` : "", headless > 0 ? `table ${index}: ${headless} rows without a row header` : ""].filter(Boolean);
      }),
    );
    expect(problems).toEqual([]);
    expect(await watched.page.locator("table").count()).toBeGreaterThan(10);
    await watched.close();
  });

  test("every chart is named and described, with its numbers in a table beside it", async () => {
    const watched = await openPage(browser, 1280);
    await watched.page.goto(url);
    const charts = await watched.page.$$eval("svg", (svgs) =>
      svgs.map((svg) => ({
        role: svg.getAttribute("role"),
        names: (svg.getAttribute("aria-labelledby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent ?? ""),
        description: svg.querySelector("desc")?.textContent ?? "",
        tableRows: svg.closest("figure")?.querySelectorAll("details.data table tbody tr").length ?? 0,
      })),
    );
    // The total, one per exercise, and the two lock-contention figures.
    expect(charts).toHaveLength(1 + summary.exercises.length + 2);
    for (const chart of charts) {
      expect(chart.role).toBe("img");
      expect(chart.names).toHaveLength(2);
      expect(chart.names.every((name) => name.length > 0)).toBe(true);
      expect(chart.description).toMatch(/\w/);
      expect(chart.tableRows).toBeGreaterThan(0);
    }
    await watched.close();
  });

  test("the lock-contention figure puts the student's hist beside the kernel's waits", async () => {
    // The recorded hist with the right unit matches the kernel's record bucket for bucket; the
    // one in microseconds holds as many waits, a thousand times too low.
    const [right, kernel] = lockWaits.right.series;
    expect(right?.buckets.filter((bucket) => bucket.count > 0)).toEqual(kernel?.buckets);
    const [micro, kernelToo] = lockWaits.microseconds.series;
    const filled = micro!.buckets.filter((bucket) => bucket.count > 0);
    expect(filled.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(kernelToo!.buckets.reduce((sum, bucket) => sum + bucket.count, 0));
    expect(filled.at(-1)!.high! * 100).toBeLessThan(kernelToo!.buckets[0]!.low!);

    const watched = await openPage(browser, 1280);
    await watched.page.goto(url);
    // bo is the second student.
    const figure = watched.page.locator("#student-2 figure");
    const rows = await figure.locator("details.data tbody tr").evaluateAll((trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((cell) => cell.textContent ?? "")));
    expect(rows).toContainEqual(["[4M, 512M)", "0", "0"]);
    expect(rows.reduce((sum, row) => sum + Number(row[2]), 0)).toBe(kernelToo!.buckets.reduce((sum, bucket) => sum + bucket.count, 0));
    await watched.close();
  });

  test("nothing a student wrote runs or becomes markup, and every link stays in the report's folder", async () => {
    const watched = await openPage(browser, 1280);
    await watched.page.goto(url);
    await allDetailsOpen(watched.page);
    expect(await watched.page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await watched.page.locator("script, img, style:not(head style), main a[href^='javascript']").count()).toBe(0);
    const text = await watched.page.locator("main").innerText();
    expect(text).toContain("<script>window.__pwned = 4</script>");
    expect(text).toContain(`"><img src=x onerror="window.__pwned=5">`);
    expect(text).toContain(`"><img src=x onerror=window.__pwned=1>`);
    const links = await watched.page.$$eval("a[href]", (anchors) => anchors.map((anchor) => anchor.getAttribute("href") ?? ""));
    const ids = new Set(await watched.page.$$eval("[id]", (elements) => elements.map((element) => element.id)));
    for (const link of links) {
      if (link.startsWith("#")) expect(ids.has(link.slice(1)), link).toBe(true);
      else expect(link, link).toMatch(/^\.\/[^:]*$/);
    }
    expect(watched.errors).toEqual([]);
    await watched.close();
  });

  test("a student's page: their checks without the hidden ones, readable on a phone", async () => {
    const [bob] = withFigures((await classOfSix()).filter((submission) => submission.id === "bo"), { bo: lockWaits.microseconds });
    const lock = bob!.exercises.find((exercise) => exercise.id === "lock-contention")!;
    const hiddenCheck = { ...lock.checks[0]!, name: "a check only the instructor sees", hidden: true, ok: false, points: 0, message: "hidden message" };
    const withHidden: ExerciseResult = { ...lock, checks: [...lock.checks, hiddenCheck], max: lock.max + hiddenCheck.max, transcript: join(dir, "..", "runs", "bo-lock-contention") };
    const page = join(dir, "reports", "lock-contention.html");
    await mkdir(join(dir, "reports"), { recursive: true });
    await writeFile(page, toStudentHtml(withHidden, { reportDir: join(dir, "reports") }));
    expect(await readFile(page, "utf8")).not.toMatch(/only the instructor|hidden message/);
    for (const width of [390, 1280]) {
      const watched = await openPage(browser, width);
      await watched.page.goto(pathToFileURL(page).href);
      await watched.page.screenshot({ path: join(screenshots, `student-${width}.png`), fullPage: true });
      expect(await watched.page.locator("h1").innerText()).toContain("lock-contention");
      expect(await watched.page.locator("header strong").innerText()).toBe(`${lock.score}/${lock.max} points`);
      expect(await watched.page.locator("table:not([aria-labelledby]) tbody th[scope=row]").count()).toBe(lock.checks.length);
      expect(await watched.page.locator("a", { hasText: "transcript" }).getAttribute("href")).toBe("./../../runs/bo-lock-contention");
      expect(await horizontalOverflow(watched.page)).toBeLessThanOrEqual(0);
      expect([...watched.errors, ...watched.outside]).toEqual([]);
      await watched.close();
    }
  });

  test("a class of 500 students x 6 exercises: under 5 MB, loaded in under 2 s", async () => {
    const recorded = await classOfSix();
    const figures = [lockWaits.right, lockWaits.microseconds];
    const withFigure = (submissions: SubmissionResult[]) =>
      submissions.map((submission, index) => ({
        ...submission,
        exercises: submission.exercises.map((exercise) => (exercise.id === "lock-contention" ? { ...exercise, figures: [figures[index % 2]!] } : exercise)),
      }));
    const classDir = await mkdtemp(join(tmpdir(), "bpflab-html-500-"));
    const sizes: Record<string, number> = {};
    for (const passing of [0.5, 0] as const) {
      const started = performance.now();
      const html = toClassHtml(withFigure(generatedClass(recorded, 500, passing)), { reportDir: classDir });
      sizes[`passing ${passing}: build ms`] = Math.round(performance.now() - started);
      await writeFile(join(classDir, `report-${passing}.html`), html);
      sizes[`passing ${passing}: bytes`] = (await stat(join(classDir, `report-${passing}.html`))).size;
    }
    const loads: Array<{ domContentLoaded: number; load: number }> = [];
    for (let run = 0; run < 3; run++) {
      const watched = await openPage(browser, 1280);
      await watched.page.goto(pathToFileURL(join(classDir, "report-0.5.html")).href, { waitUntil: "load" });
      loads.push(
        await watched.page.evaluate(() => {
          const navigation = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
          return { domContentLoaded: Math.round(navigation.domContentLoadedEventEnd), load: Math.round(navigation.loadEventEnd) };
        }),
      );
      if (run === 0) await watched.page.screenshot({ path: join(screenshots, "class-500.png") });
      expect([...watched.errors, ...watched.outside]).toEqual([]);
      await watched.close();
    }
    const median = [...loads].sort((a, b) => a.load - b.load)[1]!;
    process.stdout.write(`report.html, 500 x 6: ${JSON.stringify(sizes)}; loads (ms): ${JSON.stringify(loads)}\n`);
    expect(sizes["passing 0.5: bytes"]).toBeLessThan(5 * 1024 * 1024);
    expect(median.load).toBeLessThan(2000);
  }, 120_000);
});
