// `bpflab merge`: the shards of one class, checked to be whole (every shard i/n once, each
// student once), joined into one list of results in student order.
import type { SubmissionResult } from "../grade/results.ts";
import type { ResultsFile } from "./results-file.ts";

export function mergeShards(files: readonly ResultsFile[]): { submissions: SubmissionResult[]; classSize: number } {
  if (files.length === 0) throw new Error("nothing to merge");
  const count = files[0]!.shard.count;
  const classSize = files[0]!.classSize;
  const seen = new Set<number>();
  for (const file of files) {
    if (file.shard.count !== count) throw new Error(`shards of different splits: ${file.shard.index}/${file.shard.count} next to ?/${count}`);
    if (file.classSize !== classSize) throw new Error(`shards of different classes: ${file.classSize} students next to ${classSize}`);
    if (seen.has(file.shard.index)) throw new Error(`shard ${file.shard.index}/${count} is there twice`);
    seen.add(file.shard.index);
  }
  const missing = Array.from({ length: count }, (_, index) => index + 1).filter((index) => !seen.has(index));
  if (missing.length > 0) throw new Error(`shard${missing.length > 1 ? "s" : ""} ${missing.map((index) => `${index}/${count}`).join(", ")} missing`);

  const submissions = files.flatMap((file) => file.submissions).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const repeated = submissions.find((submission, index) => index > 0 && submissions[index - 1]?.id === submission.id);
  if (repeated) throw new Error(`student ${repeated.id} is in more than one shard`);
  if (submissions.length !== classSize) throw new Error(`the shards hold ${submissions.length} students, the class has ${classSize}`);
  return { submissions, classSize };
}
