// report.html: one self-contained page (no script, no request: a Content-Security-Policy says
// so) for an instructor, the whole class at a glance, then every student; and the same page for
// one student's run of one exercise, without the class and without hidden checks.
import type { ExerciseResult, SubmissionResult } from "../grade/results.ts";
import { classStatistics, type CheckStatistics, type ExerciseStatistics, type NotGradableGroup, type StudentRef } from "./class-statistics.ts";
import { PageIds, scoreDistributionChart } from "./html-charts.ts";
import { exerciseBody, exerciseScore, type HtmlReportOptions, type PageContext } from "./html-exercise.ts";
import { html, rawHtml, type Html } from "./html-markup.ts";
import { reportStyle } from "./html-style.ts";
import { describeMachine } from "./student-message.ts";
import { plural } from "../evidence/lines.ts";

export type { HtmlReportOptions } from "./html-exercise.ts";

/** How many failure patterns of a check the class overview lists before summing up the rest. */
const patternsShown = 3;

const contentPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function page(title: string, header: Html, body: Html): string {
  return `<!DOCTYPE html>\n${html`<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${contentPolicy}"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>${rawHtml(reportStyle)}</style></head><body><header class="page">${header}</header><main>${body}</main></body></html>`}\n`;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? "–" : `${Math.round((part / whole) * 100)}%`;
}

function mean(values: readonly number[]): string {
  return values.length === 0 ? "–" : (values.reduce((sum, value) => sum + value, 0) / values.length).toFixed(1);
}

function median(values: readonly number[]): string {
  if (values.length === 0) return "–";
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return String(Math.round(value * 10) / 10);
}

function tableBox(caption: string, head: Html, body: Html): Html {
  return html`<div class="table-box"><table><caption>${caption}</caption><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}

const studentAnchor = (student: StudentRef) => `student-${student.index + 1}`;

function studentLink(student: StudentRef): Html {
  return html`<a href="#${studentAnchor(student)}">${student.id}</a>`;
}

// ---- the class overview ----

function passRate(check: CheckStatistics): Html {
  const share = check.graded === 0 ? 0 : (check.passed / check.graded) * 100;
  return html`<div class="rate"><span class="bar" aria-hidden="true"><span style="width:${share.toFixed(1)}%"></span></span><span>${percent(check.passed, check.graded)}</span></div>`;
}

function checkTable(exercise: ExerciseStatistics): Html {
  const head = html`<tr><th scope="col">Check</th><th scope="col" class="num">Points</th><th scope="col" class="num">Passed</th><th scope="col">Pass rate</th></tr>`;
  const rows = exercise.checks.map(
    (check) =>
      html`<tr><th scope="row">${check.label}${check.hidden ? html` <span class="badge">hidden</span>` : ""}</th><td class="num">${check.max}</td><td class="num">${check.passed}/${check.graded}</td><td>${passRate(check)}</td></tr>`,
  );
  return tableBox(`Pass rate of each check of ${exercise.id}, over the ${plural(exercise.scores.length, "student")} graded`, head, html`${rows}`);
}

function failureList(check: CheckStatistics): Html {
  if (check.failures.length === 0) return html``;
  const shown = check.failures.slice(0, patternsShown);
  const rest = check.failures.slice(patternsShown);
  const restCount = rest.reduce((sum, group) => sum + group.count, 0);
  const items = shown.map((group) => {
    const excerpt = group.example.excerpt.length > 0
      ? html`<p class="muted">What ${studentLink(group.example.student)}'s script printed:</p><pre>${group.example.excerpt.join("\n")}</pre>`
      : html`<p class="muted">For example ${studentLink(group.example.student)}.</p>`;
    return html`<li class="failure"><p><span class="count">${plural(group.count, "student")}:</span> ${group.pattern}</p>${excerpt}</li>`;
  });
  const more = rest.length > 0 ? html`<p class="muted">and ${plural(rest.length, "other message")} (${plural(restCount, "student")}).</p>` : "";
  return html`<h4>${check.label}: ${plural(check.graded - check.passed, "student")} failed</h4><ol class="failures">${items}</ol>${more}`;
}

function exerciseSection(exercise: ExerciseStatistics, index: number, ids: PageIds): Html {
  const failures = exercise.checks.map(failureList);
  const notGradable = exercise.notGradable > 0 ? html` <a href="#not-gradable">${plural(exercise.notGradable, "student")} not gradable</a>.` : "";
  return html`<section aria-labelledby="exercise-${index + 1}"><h3 id="exercise-${index + 1}">${exercise.id}: ${exercise.title}</h3>
<p>${plural(exercise.scores.length, "student")} graded, mean ${mean(exercise.scores)} of ${exercise.max} points, median ${median(exercise.scores)}.${notGradable}</p>
<div class="split">${scoreDistributionChart(ids, `${exercise.id}: students by score`, exercise.scores, exercise.max)}${checkTable(exercise)}</div>
${exercise.checks.some((check) => check.failures.length > 0) ? html`<p class="muted">The most common failures; what each run drew (names, numbers) is replaced by … and N.</p>${failures}` : html`<p>No check failed.</p>`}</section>`;
}

function exerciseTable(exercises: readonly ExerciseStatistics[]): Html {
  const head = html`<tr><th scope="col">Exercise</th><th scope="col" class="num">Graded</th><th scope="col" class="num">Not gradable</th><th scope="col" class="num">Mean</th><th scope="col" class="num">Median</th><th scope="col" class="num">Full marks</th></tr>`;
  const rows = exercises.map(
    (exercise, index) =>
      html`<tr><th scope="row"><a href="#exercise-${index + 1}">${exercise.id}</a></th><td class="num">${exercise.scores.length}</td><td class="num">${exercise.notGradable}</td><td class="num">${mean(exercise.scores)} / ${exercise.max}</td><td class="num">${median(exercise.scores)}</td><td class="num">${exercise.scores.filter((score) => score === exercise.max).length}</td></tr>`,
  );
  return tableBox("Scores by exercise (gradable exercises only)", head, html`${rows}`);
}

function notGradableSection(groups: readonly NotGradableGroup[]): Html {
  if (groups.length === 0) return html`<p>Every exercise of every student was graded.</p>`;
  const head = html`<tr><th scope="col">Exercise</th><th scope="col">Reason</th><th scope="col" class="num">Students</th><th scope="col">Who</th></tr>`;
  const rows = groups.map(
    (group) =>
      html`<tr><th scope="row">${group.exercise}</th><td>${group.reason}</td><td class="num">${group.students.length}</td><td>${group.students.map((student, index) => html`${index > 0 ? ", " : ""}${studentLink(student)}`)}</td></tr>`,
  );
  return html`<p>These are not zeros: grade them again (<code>bpflab grade --exercise</code>).</p>${tableBox("Exercises that could not be graded, by reason", head, html`${rows}`)}`;
}

function studentIndex(submissions: readonly SubmissionResult[], exerciseIds: readonly string[]): Html {
  const head = html`<tr><th scope="col">Student</th>${exerciseIds.map((id) => html`<th scope="col" class="num">${id}</th>`)}<th scope="col" class="num">Total</th><th scope="col" class="num">Max</th><th scope="col">Gradable</th></tr>`;
  const rows = submissions.map((submission, index) => {
    const cells = exerciseIds.map((id) => {
      const exercise = submission.exercises.find((each) => each.id === id);
      if (!exercise) return html`<td class="num"></td>`;
      return exercise.gradable ? html`<td class="num">${exercise.score}</td>` : html`<td class="num skipped">not gradable</td>`;
    });
    const gradable = submission.exercises.every((exercise) => exercise.gradable);
    return html`<tr><th scope="row">${studentLink({ index, id: submission.id })}</th>${cells}<td class="num">${submission.score}</td><td class="num">${submission.max}</td><td>${gradable ? "yes" : html`<span class="skipped">no</span>`}</td></tr>`;
  });
  return tableBox("Every student's score per exercise", head, html`${rows}`);
}

function studentDetails(submission: SubmissionResult, index: number, context: PageContext): Html {
  const anchor = studentAnchor({ index, id: submission.id });
  const exercises = submission.exercises.map(
    (exercise) => html`<h3>${exercise.id}: ${exerciseScore(exercise, context)}</h3>${exerciseBody(exercise, context)}`,
  );
  // The id is inside the closed <details>: following a link to it opens it.
  return html`<details class="student"><summary>${submission.id} <span class="muted">${submission.score}/${submission.max} points</span></summary><div id="${anchor}">${exercises}</div></details>`;
}

/** The lab most exercises were graded on; an exercise graded elsewhere names its own. */
function commonLab(submissions: readonly SubmissionResult[]): string | undefined {
  const counts = new Map<string, number>();
  for (const exercise of submissions.flatMap((submission) => submission.exercises)) {
    if (exercise.machine) counts.set(describeMachine(exercise.machine), (counts.get(describeMachine(exercise.machine)) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

export function toClassHtml(submissions: readonly SubmissionResult[], options: HtmlReportOptions): string {
  const classLab = commonLab(submissions);
  const context: PageContext = { ...options, audience: "instructor", ids: new PageIds(), ...(classLab ? { classLab } : {}) };
  const stats = classStatistics(submissions);
  const exerciseIds = stats.exercises.map((exercise) => exercise.id);
  const notGradableCount = stats.exercises.reduce((sum, exercise) => sum + exercise.notGradable, 0);
  const lab = classLab ? html` Lab: ${classLab}, unless an exercise says otherwise.` : "";
  const header = html`<h1>Class report</h1><p class="muted">${plural(submissions.length, "student")}, ${plural(stats.exercises.length, "exercise")}, graded by bpflab.${lab}</p>
<nav aria-label="Sections"><ul><li><a href="#overview">Overview</a></li><li><a href="#exercises">Exercises and checks</a></li><li><a href="#not-gradable">Not gradable (${notGradableCount})</a></li><li><a href="#students">Students</a></li></ul></nav>`;
  const facts = html`<ul class="facts"><li><strong>${submissions.length}</strong>students</li><li><strong>${stats.totals.length}</strong>graded in full</li><li><strong>${median(stats.totals)} / ${stats.totalMax}</strong>median total</li><li><strong>${mean(stats.totals)}</strong>mean total</li><li><strong>${notGradableCount}</strong>exercises not gradable</li></ul>`;
  const leftOut = submissions.length - stats.totals.length;
  const totalsNote = leftOut > 0 ? html`<p class="muted">${plural(leftOut, "student")} with an exercise not gradable ${leftOut === 1 ? "is" : "are"} left out of the totals.</p>` : "";
  const body = html`<section aria-labelledby="overview"><h2 id="overview">Overview</h2>${facts}<div class="split"><div>${scoreDistributionChart(context.ids, "Students by total score", stats.totals, stats.totalMax)}${totalsNote}</div>${exerciseTable(stats.exercises)}</div></section>
<section aria-labelledby="exercises"><h2 id="exercises">Exercises and checks</h2>${stats.exercises.map((exercise, index) => exerciseSection(exercise, index, context.ids))}</section>
<section aria-labelledby="not-gradable"><h2 id="not-gradable">Not gradable</h2>${notGradableSection(stats.notGradable)}</section>
<section aria-labelledby="students"><h2 id="students">Students</h2>${studentIndex(submissions, exerciseIds)}${submissions.map((submission, index) => studentDetails(submission, index, context))}</section>`;
  return page("bpflab class report", header, body);
}

/** The page of `npm test exercises/<id>`: one student's run, hidden checks left out. */
export function toStudentHtml(exercise: ExerciseResult, options: HtmlReportOptions): string {
  const context: PageContext = { ...options, audience: "student", ids: new PageIds() };
  const score = exerciseScore(exercise, context);
  const header = html`<h1>${exercise.id}: ${exercise.title}</h1><p><strong>${score}</strong></p>`;
  return page(`${exercise.id}: ${score}`, header, exerciseBody(exercise, context));
}
