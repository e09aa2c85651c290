// `bpflab merge <dirs...> --out DIR`: the --out folders of every shard of a class become one
// report set, the same as grading the class in one run would have written.
import { resolve } from "node:path";
import type { HiddenVisibility } from "../report/gradescope.ts";
import { mergeShards } from "../report/merge-shards.ts";
import { readResultsFile } from "../report/results-file.ts";
import { writeReportSet } from "../report/report-set.ts";

export interface MergeCommandOptions {
  out: string;
  hiddenVisibility: HiddenVisibility;
}

export async function mergeCommand(dirs: string[], options: MergeCommandOptions): Promise<void> {
  try {
    const files = await Promise.all(dirs.map((dir) => readResultsFile(resolve(dir))));
    const { submissions, classSize } = mergeShards(files);
    await writeReportSet(resolve(options.out), submissions, { shard: { index: 1, count: 1 }, classSize, hiddenVisibility: options.hiddenVisibility });
    const notGradable = submissions.filter((submission) => submission.exercises.some((exercise) => !exercise.gradable));
    process.stderr.write(`bpflab: merged ${files.length} shards, ${submissions.length} submissions, into ${options.out}\n`);
    if (notGradable.length > 0) {
      process.stderr.write(`bpflab: ${notGradable.length} submissions have exercises that were not gradable: ${notGradable.map((submission) => submission.id).join(", ")}\n`);
      process.exitCode = 1;
    }
  } catch (error) {
    process.stderr.write(`bpflab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
