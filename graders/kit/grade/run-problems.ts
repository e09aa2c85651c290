// Sentences for runs that did not go as planned, phrased for the student who wrote the script.
import { formatDiagnostic, parseDiagnostics, type Diagnostic } from "../bpftrace/diagnostics.ts";
import type { Verdict } from "../exercise.ts";
import type { ScriptRun } from "../run/script-run.ts";
import { labAdvice } from "./lab-advice.ts";

// The memlock warning is about the machine, not the script: students cannot act on it.
const machineWarning = /RLIMIT_MEMLOCK/;

// grade-exercise.ts shows at most 12 lines of an excerpt, each cut at 160 characters: bpftrace's
// messages are fitted to that, so that none is cut in the middle.
const excerptLines = 12;
const excerptWidth = 160;
const ellipsis = "...";

/** bpftrace's messages, without the machine's warnings. */
function messagesOf(run: ScriptRun): Diagnostic[] {
  return parseDiagnostics(run.stderr).flatMap((diagnostic): Diagnostic[] => {
    const [first = "", ...rest] = diagnostic.message.split("\n");
    if (diagnostic.severity !== "warning" || !machineWarning.test(first)) return [diagnostic];
    // That warning is one line: unprefixed lines after it were printed by someone else (libbcc).
    return rest.length > 0 ? [{ severity: "other", message: rest.join("\n"), excerpt: "" }] : [];
  });
}

function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  return errors.length > 0 ? errors : diagnostics.filter((diagnostic) => diagnostic.severity !== "warning");
}

/** Prose lines wrapped at spaces to the excerpt's width. */
function wrap(line: string): string[] {
  const lines: string[] = [];
  let rest = line;
  while (rest.length > excerptWidth) {
    const space = rest.lastIndexOf(" ", excerptWidth);
    lines.push(rest.slice(0, space > 0 ? space : excerptWidth));
    rest = rest.slice(space > 0 ? space + 1 : excerptWidth);
  }
  return [...lines, rest];
}

/** A source line too wide for the excerpt, and its marker, cut to the same window around the marker. */
function windowed(source: string, marker: string): string[] {
  if (source.length <= excerptWidth) return [source, marker];
  const room = excerptWidth - 2 * ellipsis.length;
  const start = Math.max(0, Math.min(marker.indexOf("~") - ellipsis.length, source.length - room));
  const before = start > 0 ? ellipsis : "";
  const after = start + room < source.length ? ellipsis : "";
  return [before + source.slice(start, start + room) + after, " ".repeat(before.length) + marker.slice(start, start + room)];
}

function linesOf(diagnostic: Diagnostic): string[] {
  const text = formatDiagnostic({ ...diagnostic, excerpt: "" }).split("\n").flatMap(wrap);
  if (diagnostic.excerpt === "") return text;
  const [source = "", marker = ""] = diagnostic.excerpt.split("\n");
  return [...text, ...windowed(source, marker)];
}

/** Errors before bpftrace's unprefixed lines, before its warnings and hints. */
function rank(diagnostic: Diagnostic): number {
  switch (diagnostic.severity) {
    case "error":
    case "bug":
      return 0;
    case "other":
      return 1;
    default:
      return 2;
  }
}

/**
 * bpftrace's messages whole, in the order it printed them; when they do not all fit, errors are
 * kept first and a last line counts the messages left out (the transcript has every one).
 */
function stderrExcerpt(run: ScriptRun): string[] {
  const diagnostics = messagesOf(run);
  if (diagnostics.length === 0) return run.stderr.split("\n").filter((line) => line.trim() !== "").flatMap(wrap).slice(0, excerptLines);
  const blocks = diagnostics.map(linesOf);
  const byRank = blocks.map((_, index) => index).sort((a, b) => rank(diagnostics[a] as Diagnostic) - rank(diagnostics[b] as Diagnostic) || a - b);
  const chosen = (budget: number) => {
    const kept = new Set<number>();
    let used = 0;
    for (const index of byRank) {
      const size = blocks[index]?.length ?? 0;
      if (used + size <= budget) {
        kept.add(index);
        used += size;
      }
    }
    return kept;
  };
  let kept = chosen(excerptLines);
  if (kept.size === blocks.length) return blocks.flat();
  kept = chosen(excerptLines - 1);
  const left = blocks.length - kept.size;
  const shown = kept.size > 0 ? blocks.flatMap((block, index) => (kept.has(index) ? block : [])) : (blocks[byRank[0] ?? 0] ?? []).slice(0, excerptLines - 1);
  return [...shown, `(bpftrace printed ${kept.size > 0 ? `${left} more message${left === 1 ? "" : "s"}` : "more"}: the run's transcript has them all)`];
}

/** "line 4: Unknown function: contains": the first line of a message, for a sentence. */
function summaryOf(diagnostic: Diagnostic): string {
  return (formatDiagnostic({ ...diagnostic, excerpt: "" }).split("\n")[0] ?? "").replace(/\.+$/, "");
}

/** A verdict shared by every check of a task whose script never got its probes attached. */
export function describeRejection(run: ScriptRun, script: string): Verdict | undefined {
  switch (run.ending) {
    case "rejected": {
      const diagnostics = messagesOf(run);
      const first = errorsOf(diagnostics)[0];
      const crashed = run.exit.kind === "signaled" ? ` (bpftrace was killed by signal ${run.exit.signal})` : "";
      const what = first ? `: ${summaryOf(first)}` : crashed;
      const advice = labAdvice(diagnostics, script).map((line) => `${line} `).join("");
      return {
        ok: false,
        message: `bpftrace did not run ${script}${what}. ${advice}Fix what bpftrace reports below, then grade again.`,
        excerpt: stderrExcerpt(run),
      };
    }
    case "output-cap":
      if (run.attachMs !== undefined) return undefined;
      return {
        ok: false,
        message: `bpftrace printed ${run.stdoutBytes} bytes before the probes of ${script} were attached, over the output limit, and was stopped; print only what the task asks.`,
        excerpt: run.stdout.split("\n").slice(0, 5),
      };
    case "attach-timeout":
      return {
        ok: false,
        message: `bpftrace did not attach the probes of ${script} in time; probes that match thousands of functions (wildcards) take too long: narrow them.`,
        excerpt: stderrExcerpt(run),
      };
    default:
      return undefined;
  }
}

/** A note appended to failure messages when the run ended abnormally after attaching. */
export function describeEnding(run: ScriptRun): string | undefined {
  switch (run.ending) {
    case "output-cap":
      return `(bpftrace was stopped after printing ${run.stdoutBytes} bytes, over the output limit; the checks saw only the beginning: print only what the task asks.)`;
    case "ignored-sigint":
      return "(bpftrace did not exit after Ctrl-C (SIGINT) and was killed; output printed at exit, such as maps and END, is missing.)";
    case "exited-by-itself":
      return "(bpftrace exited before the workload finished; do not call exit() until the end.)";
    default:
      return undefined;
  }
}
