// Sentences for runs that did not go as planned, phrased for the student who wrote the script.
import { formatDiagnostic, type Diagnostic } from "../bpftrace/diagnostics.ts";
import type { Verdict } from "../exercise.ts";
import type { ScriptRun } from "../run/script-run.ts";
import { crashAdvice, labAdvice } from "./lab-advice.ts";
import { bpftraceMessages, stderrExcerpt } from "./stderr-excerpt.ts";

function errorsOf(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === "error");
  return errors.length > 0 ? errors : diagnostics.filter((diagnostic) => diagnostic.severity !== "warning");
}

/** "line 4: Unknown function: contains": the first line of a message, for a sentence. */
function summaryOf(diagnostic: Diagnostic): string {
  return (formatDiagnostic({ ...diagnostic, excerpt: "" }).split("\n")[0] ?? "").replace(/\.+$/, "");
}

/** SIGSEGV and SIGABRT: bpftrace itself failed, rather than being stopped. */
const crashSignals = new Set([6, 11]);

/** A verdict shared by every check of a task whose script never got its probes attached. */
export function describeRejection(run: ScriptRun, script: string, scriptText = ""): Verdict | undefined {
  switch (run.ending) {
    case "rejected": {
      const diagnostics = bpftraceMessages(run.stderr);
      const first = errorsOf(diagnostics)[0];
      const signal = run.exit.kind === "signaled" ? run.exit.signal : undefined;
      const crashed =
        signal === undefined ? "" : crashSignals.has(signal) ? ` (bpftrace itself crashed, signal ${signal}: a bug in bpftrace, not an error it found in your script)` : ` (bpftrace was killed by signal ${signal})`;
      const what = first ? `: ${summaryOf(first)}${crashed}` : crashed;
      const advice = [...labAdvice(diagnostics, script), ...crashAdvice(signal, scriptText)].map((line) => `${line} `).join("");
      return {
        ok: false,
        message: `bpftrace did not run ${script}${what}. ${advice}Fix what bpftrace reports below, then grade again.`,
        excerpt: stderrExcerpt(run.stderr),
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
        message: `bpftrace did not attach the probes of ${script} in time (${Math.round((run.totalMs) / 1000)} s): probes that match thousands of functions (wildcards) take too long, narrow them; an #include of kernel headers makes bpftrace parse them first, which is slow in the lab machine: use the kernel's types as bpftrace knows them from BTF instead.`,
        excerpt: stderrExcerpt(run.stderr),
      };
    default:
      return undefined;
  }
}

/** A note appended to failure messages when the run ended abnormally after attaching. */
export function describeEnding(run: ScriptRun): string | undefined {
  switch (run.ending) {
    case "output-cap":
      return Buffer.byteLength(run.stdout) < run.stdoutBytes
        ? `(bpftrace was stopped after printing ${run.stdoutBytes} bytes, over the output limit; the checks saw only the beginning: print only what the task asks.)`
        : `(bpftrace printed ${run.stdoutBytes} bytes, over the output limit, and was stopped; the checks read all of it: print only what the task asks.)`;
    case "ignored-sigint":
      return "(bpftrace did not exit after Ctrl-C (SIGINT) and was killed; output printed at exit, such as maps and END, is missing.)";
    case "exited-by-itself":
      return "(bpftrace exited before the workload finished; do not call exit() until the end.)";
    default:
      return undefined;
  }
}
