// `bpflab grade <dir>`: grade one submission or a class, in parallel, optionally one shard of
// it, and write the reports (TAP or JSON on stdout, or every format under --out). Submissions
// are others' scripts: they run only in a kernel of their own unless the instructor trusts them.
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { findSubmissions, gradeSubmissions } from "../grade/grade-submissions.ts";
import { inShard, parseShard, type Shard } from "../grade/shard.ts";
import { isolationOn, trustedSubmissions, untrustedSubmissions, type IsolationPolicy } from "../machine/isolation.ts";
import { LabProvider } from "../machine/lab-provider.ts";
import type { StdoutFormat } from "../report/formats.ts";
import type { HiddenVisibility } from "../report/gradescope.ts";
import { newSeed } from "../run/random.ts";
import { backendsFor, type BackendChoice } from "../session.ts";
import { classProgress } from "../ui/class-progress.ts";
import { emitReport, notGradable } from "./report-output.ts";
import { chosenLab } from "../../../vm/labs.ts";

export interface GradeCommandOptions {
  format: StdoutFormat;
  exercise?: string[];
  backend: BackendChoice;
  lab?: string;
  seed?: number;
  transcripts?: string;
  out?: string;
  jobs?: number;
  shard?: string;
  hiddenVisibility: HiddenVisibility;
  exerciseTimeout: number;
  trustSubmissions?: boolean;
}

const wholeClass: Shard = { index: 1, count: 1 };

/** Transcripts go with the reports, so that the --out folder alone can be regraded. */
function transcriptDir(options: GradeCommandOptions): string {
  return resolve(options.transcripts ?? (options.out ? join(options.out, "transcripts") : ".bpflab/runs"));
}

/**
 * The isolation policy a class is graded under, or why this backend choice is refused: without
 * --trust-submissions, a choice none of whose backends gives a kernel of its own.
 */
export function classIsolation(backend: BackendChoice, trustSubmissions: boolean): { policy: IsolationPolicy } | { refused: string } {
  const policy = trustSubmissions ? trustedSubmissions : untrustedSubmissions;
  if (backendsFor(backend).some((candidate) => isolationOn(policy, candidate.kernel))) return { policy };
  return {
    refused:
      `--backend ${backend} would run every submission on this host's kernel, where a bpftrace script sees every process ` +
      `on the host, the files they open and their memory: other students' scripts, the hidden checks, the CI job's secrets. ` +
      `Grade a class with --backend vm (or auto, which grades submissions only in the lab VM), or add --trust-submissions ` +
      `if you trust every submission's author (docs/threat-model.md).`,
  };
}

/**
 * Exit status 0 when every exercise of every submission was graded, whatever the scores; 1 when
 * some were not gradable (the reports say which and why); 2 when the harness could not run, or
 * when the backend would put untrusted submissions on the host's kernel (refused before anything runs).
 */
export async function gradeCommand(dir: string, options: GradeCommandOptions): Promise<void> {
  const isolation = classIsolation(options.backend, options.trustSubmissions ?? false);
  if ("refused" in isolation) {
    process.stderr.write(`bpflab: ${isolation.refused}\n`);
    process.exitCode = 2;
    return;
  }
  const { policy } = isolation;
  if (policy.kernel === "shared-allowed" && options.backend !== "vm") {
    process.stderr.write(`bpflab: submissions trusted (--trust-submissions): --backend ${options.backend} may run them on this host's kernel; every report says where each ran\n`);
  }
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
      transcriptDir: transcriptDir(options),
      jobs,
      newProvider: (worker) => new LabProvider(backendsFor(options.backend, progress.worker(worker), lab), progress.worker(worker), policy),
      exerciseTimeoutMs: options.exerciseTimeout * 1000,
      events: progress,
      ...(options.exercise ? { exercises: options.exercise } : {}),
    });
    progress.finish();
    const report = { submissions: results, shard, classSize: everyone.length, hiddenVisibility: options.hiddenVisibility };
    await emitReport(report, options);
    if (options.out) {
      const shardNote = options.shard ? ` (shard ${shard.index}/${shard.count} of ${everyone.length})` : "";
      process.stderr.write(`bpflab: graded ${results.length} submissions${shardNote}; reports in ${options.out}\n`);
    }
    const unfinished = notGradable(report);
    if (unfinished.length > 0) {
      process.stderr.write(`bpflab: not gradable (regrade these, they are not zeros): ${unfinished.join(", ")}\n`);
      process.exitCode = 1;
    }
  } catch (error) {
    progress.finish();
    process.stderr.write(`bpflab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
