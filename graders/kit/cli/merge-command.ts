// `bpflab merge <dirs...> --out DIR`: the --out folders of every shard of a class become one
// report set, the same as grading the class in one run would have written.
import { resolve } from "node:path";
import type { HiddenVisibility } from "../report/gradescope.ts";
import { mergeShards } from "../report/merge-shards.ts";
import { readResultsFile } from "../report/results-file.ts";
import { emitReport, notGradable } from "./report-output.ts";

export interface MergeCommandOptions {
  out: string;
  hiddenVisibility: HiddenVisibility;
}

export async function mergeCommand(dirs: string[], options: MergeCommandOptions): Promise<void> {
  try {
    const files = await Promise.all(dirs.map((dir) => readResultsFile(resolve(dir))));
    const { submissions, classSize } = mergeShards(files);
    const report = { submissions, shard: { index: 1, count: 1 }, classSize, hiddenVisibility: options.hiddenVisibility };
    await emitReport(report, { out: options.out, format: "tap" });
    process.stderr.write(`bpflab: merged ${files.length} shards, ${submissions.length} submissions, into ${options.out}\n`);
    const unfinished = notGradable(report);
    if (unfinished.length > 0) {
      process.stderr.write(`bpflab: not gradable (regrade these, they are not zeros): ${unfinished.join(", ")}\n`);
      process.exitCode = 1;
    }
  } catch (error) {
    process.stderr.write(`bpflab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
