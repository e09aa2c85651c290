// `bpflab grade <dir>`: grade one submission or a class, in parallel, optionally one shard of
// it, and write the reports (TAP or JSON on stdout, or every format under --out).
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { findSubmissions, gradeSubmissions } from "../grade/grade-submissions.ts";
import { inShard, parseShard, type Shard } from "../grade/shard.ts";
import { LabProvider } from "../machine/lab-provider.ts";
import type { HiddenVisibility } from "../report/gradescope.ts";
import { toJsonReport } from "../report/json.ts";
import { writeReportSet } from "../report/report-set.ts";
import { toTap } from "../report/tap.ts";
import { newSeed } from "../run/random.ts";
import { backendsFor, type BackendChoice } from "../session.ts";
import { classProgress } from "../ui/class-progress.ts";
import { chosenLab } from "../../../vm/labs.ts";

export interface GradeCommandOptions {
  format: "tap" | "json";
  exercise?: string[];
  backend: BackendChoice;
  lab?: string;
  seed?: number;
  transcripts: string;
  out?: string;
  jobs?: number;
  shard?: string;
  hiddenVisibility: HiddenVisibility;
  exerciseTimeout: number;
}

const wholeClass: Shard = { index: 1, count: 1 };

/**
 * Exit status 0 when every exercise of every submission was graded, whatever the scores; 1 when
 * some were not gradable (the reports say which and why); 2 when the harness could not run.
 */
export async function gradeCommand(dir: string, options: GradeCommandOptions): Promise<void> {
  const progress = classProgress();
  try {
    const shard = options.shard ? parseShard(options.shard) : wholeClass;
    const lab = chosenLab(options.lab);
    const everyone = await findSubmissions(dir);
    const submissions = inShard(everyone, shard);
    // Workers on the host backend would share one kernel and see each other's workloads.
    const jobs = options.backend === "host" ? 1 : (options.jobs ?? availableParallelism());
    const results = await gradeSubmissions(submissions, {
      seed: options.seed ?? newSeed(),
      transcriptDir: options.transcripts,
      jobs,
      newProvider: (worker) => new LabProvider(backendsFor(options.backend, progress.worker(worker), lab), progress.worker(worker)),
      exerciseTimeoutMs: options.exerciseTimeout * 1000,
      events: progress,
      ...(options.exercise ? { exercises: options.exercise } : {}),
    });
    progress.finish();
    if (options.out) {
      const summary = await writeReportSet(resolve(options.out), results, { shard, classSize: everyone.length, hiddenVisibility: options.hiddenVisibility });
      const shardNote = options.shard ? ` (shard ${shard.index}/${shard.count} of ${everyone.length})` : "";
      process.stderr.write(`bpflab: graded ${summary.students.length} submissions${shardNote}; reports in ${options.out}\n`);
    } else {
      process.stdout.write(options.format === "json" ? toJsonReport(results) : toTap(results));
    }
    const notGradable = results.flatMap((submission) => submission.exercises.filter((exercise) => !exercise.gradable).map((exercise) => `${submission.id} ${exercise.id}`));
    if (notGradable.length > 0) {
      process.stderr.write(`bpflab: not gradable (regrade these, they are not zeros): ${notGradable.join(", ")}\n`);
      process.exitCode = 1;
    }
  } catch (error) {
    progress.finish();
    process.stderr.write(`bpflab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
