// results.json in a report folder: every result of a grading run, in full, with the shard that
// produced it. It is what `bpflab merge` reads to rebuild one report set from many shards.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { SubmissionResult } from "../grade/results.ts";
import { submissionResultSchema } from "../grade/results-schema.ts";
import type { Shard } from "../grade/shard.ts";

export const resultsFileSchema = z.object({
  format: z.literal("bpflab-results/2"),
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }),
  /** Students in the whole class, before it was split into shards. */
  classSize: z.number().int().nonnegative(),
  submissions: z.array(submissionResultSchema),
});
export type ResultsFile = z.infer<typeof resultsFileSchema>;

export const resultsFileName = "results.json";

export function toResultsFile(submissions: readonly SubmissionResult[], shard: Shard, classSize: number): string {
  const file: ResultsFile = { format: "bpflab-results/2", shard, classSize, submissions: [...submissions] };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export async function readResultsFile(dir: string): Promise<ResultsFile> {
  const path = join(dir, resultsFileName);
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) throw new Error(`${path} is missing: is ${dir} the --out folder of a bpflab grade run?`);
  const parsed = resultsFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${path} is not a bpflab results file: ${parsed.error.message}`);
  return parsed.data;
}
