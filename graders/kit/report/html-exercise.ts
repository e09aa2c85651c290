// One student's result for one exercise, in report.html: on the student's own page every check
// they can see, with its result; in the class report (500 students and more), the failed checks
// in full and the passed ones counted (the exercise's section lists them), so the page stays
// small.
import { relative, resolve } from "node:path";
import { scored, type CheckResult, type ExerciseResult, type Figure } from "../grade/results.ts";
import { histogramChart, type PageIds } from "./html-charts.ts";
import { html, relativeHref, type Html } from "./html-markup.ts";
import { describeMachine } from "./student-message.ts";

export interface HtmlReportOptions {
  /** The folder the page is written to: transcript links are relative to it. */
  reportDir: string;
}

export interface PageContext extends HtmlReportOptions {
  audience: "instructor" | "student";
  ids: PageIds;
  /** The lab most of the class ran on, named once at the top of the class report. */
  classLab?: string;
}

function shownChecks(exercise: ExerciseResult, context: PageContext): CheckResult[] {
  return context.audience === "student" ? exercise.checks.filter((check) => !check.hidden) : exercise.checks;
}

/** "5/7 points", over the checks this page shows. */
export function exerciseScore(exercise: ExerciseResult, context: PageContext): string {
  if (!exercise.gradable) return "not gradable";
  const { score, max } = scored(shownChecks(exercise, context));
  return `${score}/${max} points`;
}

function transcriptLink(transcript: string, context: PageContext): Html {
  const path = relative(context.reportDir, resolve(transcript));
  const link = html`<a href="${relativeHref(path)}">transcript</a>`;
  return context.audience === "student" ? html`${link} <span class="mono">${path}</span>` : link;
}

function facts(exercise: ExerciseResult, context: PageContext): Html {
  const shown: Html[] = [html`seed ${exercise.seed}`];
  const lab = exercise.machine ? describeMachine(exercise.machine) : undefined;
  if (lab && lab !== context.classLab) shown.push(html`lab: ${lab}`);
  if (exercise.transcript) shown.push(transcriptLink(exercise.transcript, context));
  return html`<p class="muted">${shown.map((fact, index) => html`${index > 0 ? " · " : ""}${fact}`)}</p>`;
}

function figures(list: readonly Figure[] | undefined, context: PageContext): Html {
  if (!list || list.length === 0) return html``;
  return html`<div class="charts">${list.map((figure) => histogramChart(context.ids, figure))}</div>`;
}

/** What a failed check said, and what the script printed. */
function detailRow(exercise: ExerciseResult, check: CheckResult): Html {
  if (!exercise.gradable || check.ok) return html``;
  const excerpt = check.excerpt.length > 0 ? html`<p class="muted">The script printed:</p><pre>${check.excerpt.join("\n")}</pre>` : "";
  return html`<tr class="detail"><td colspan="3"><p>${check.message}</p>${excerpt}</td></tr>`;
}

function everyCheck(exercise: ExerciseResult, context: PageContext): Html {
  const checks = shownChecks(exercise, context);
  const head = html`<tr><th scope="col">Check</th><th scope="col" class="fit">Result</th><th scope="col" class="num">Points</th></tr>`;
  const row = (check: CheckResult) => {
    const result = !exercise.gradable ? html`<td class="skipped">not graded</td>` : check.ok ? html`<td class="passed">passed</td>` : html`<td class="failed">failed</td>`;
    const points = exercise.gradable ? `${check.points}/${check.max}` : `–/${check.max}`;
    return html`<tr><th scope="row">${check.name}</th>${result}<td class="num">${points}</td></tr>${detailRow(exercise, check)}`;
  };
  const tasks = [...new Set(checks.map((check) => check.task))];
  const body =
    tasks.length === 1
      ? html`<tbody>${checks.map(row)}</tbody>`
      : tasks.map((task) => html`<tbody><tr class="task"><th scope="rowgroup" colspan="3">${task}</th></tr>${checks.filter((check) => check.task === task).map(row)}</tbody>`);
  return html`<div class="table-box"><table><caption>Checks of ${exercise.id}</caption><thead>${head}</thead>${body}</table></div>`;
}

/** Several checks often quote the same output: it is shown once, under the first of them. */
function excerptOnce(check: CheckResult, earlier: readonly CheckResult[]): Html {
  if (check.excerpt.length === 0) return html``;
  const text = check.excerpt.join("\n");
  const first = earlier.find((other) => other.excerpt.join("\n") === text);
  return first ? html`<p class="muted">The same output as under “${first.name}”.</p>` : html`<pre>${text}</pre>`;
}

function failedItem(check: CheckResult, earlier: readonly CheckResult[]): Html {
  const hidden = check.hidden ? html` <span class="badge">hidden</span>` : "";
  return html`<li><strong>${check.name}</strong>${hidden} <span class="muted">${check.points}/${check.max}</span><p>${check.message}</p>${excerptOnce(check, earlier)}</li>`;
}

/**
 * The class report's view: the failed checks in full, under their task when there are several;
 * the passed ones counted.
 */
function failedChecks(exercise: ExerciseResult): Html {
  if (!exercise.gradable) return html``;
  const failed = exercise.checks.filter((check) => !check.ok);
  const passed = exercise.checks.length - failed.length;
  if (failed.length === 0) return html`<p class="passed">Passed all ${exercise.checks.length} checks.</p>`;
  const item = (check: CheckResult) => failedItem(check, failed.slice(0, failed.indexOf(check)));
  const tasks = [...new Set(failed.map((check) => check.task))];
  const items =
    new Set(exercise.checks.map((check) => check.task)).size === 1
      ? failed.map(item)
      : tasks.map((task) => html`<li>${task}<ul>${failed.filter((check) => check.task === task).map(item)}</ul></li>`);
  return html`<p><span class="failed">Failed ${failed.length} of ${exercise.checks.length} checks</span>${passed > 0 ? `, passed the other ${passed}` : ""}:</p><ul class="failed-checks">${items}</ul>`;
}

function review(exercise: ExerciseResult, context: PageContext): Html {
  if (exercise.review.length === 0) return html``;
  const heading = context.audience === "student" ? html`<h2>Written answers</h2>` : html`<h4>Written answers</h4>`;
  const answers = exercise.review.map(
    (answer) =>
      html`<p><strong>${answer.question}</strong> <span class="muted">(${answer.file})</span></p>${answer.answer === undefined ? html`<p class="muted">No answer.</p>` : html`<pre>${answer.answer}</pre>`}`,
  );
  return html`${heading}${answers}`;
}

export function exerciseBody(exercise: ExerciseResult, context: PageContext): Html {
  const notGradable = exercise.gradable
    ? ""
    : html`<p class="note">Not gradable: ${exercise.reason ?? "unknown reason"}. This is not a zero: it will be graded again.</p>`;
  const notes = exercise.notes.length > 0 ? html`<ul>${exercise.notes.map((note) => html`<li>${note}</li>`)}</ul>` : "";
  const checks = context.audience === "student" ? everyCheck(exercise, context) : failedChecks(exercise);
  return html`${facts(exercise, context)}${notGradable}${notes}${figures(exercise.figures, context)}${checks}${review(exercise, context)}`;
}
