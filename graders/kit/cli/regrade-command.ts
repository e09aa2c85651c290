// `bpflab regrade <dir>`: judge a graded class again with today's graders from its recorded
// evidence, no lab machine; write the same reports as grade, and say what changed.
import { describeChanges } from "../grade/regrade-changes.ts";
import { regradeClass } from "../grade/regrade-class.ts";
import type { StdoutFormat } from "../report/formats.ts";
import type { HiddenVisibility } from "../report/gradescope.ts";
import { emitReport, notGradable } from "./report-output.ts";

export interface RegradeCommandOptions {
  format: StdoutFormat;
  out?: string;
  hiddenVisibility: HiddenVisibility;
}

/** Exit status as grade's: 0 when everything was judged, 1 when some exercises kept their recorded result or are not gradable, 2 on failure. */
export async function regradeCommand(dir: string, options: RegradeCommandOptions): Promise<void> {
  try {
    const started = Date.now();
    const regraded = await regradeClass(dir);
    const report = { submissions: regraded.submissions, shard: regraded.shard, classSize: regraded.classSize, hiddenVisibility: options.hiddenVisibility };
    await emitReport(report, options);
    const changes = describeChanges(regraded.exercises);
    const kept = regraded.exercises.filter((each) => each.kept !== undefined);
    const changed = changes.length - kept.length;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const keptNote = kept.length > 0 ? `; ${kept.length} kept as recorded` : "";
    process.stderr.write(
      `bpflab: regraded ${regraded.exercises.length} exercises of ${regraded.submissions.length} submissions in ${seconds} s, no lab machine; ${changed === 0 ? "nothing changed" : `${changed} changed`}${keptNote}${options.out ? `; reports in ${options.out}` : ""}\n`,
    );
    for (const change of changes) process.stderr.write(`  ${change}\n`);
    if (kept.length > 0 || notGradable(report).length > 0) process.exitCode = 1;
  } catch (error) {
    process.stderr.write(`bpflab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
