// Shards split a class deterministically, and merging their report folders gives exactly the
// report set of one run over the whole class.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { inShard, parseShard } from "../../graders/kit/grade/shard.ts";
import { mergeShards } from "../../graders/kit/report/merge-shards.ts";
import { readResultsFile } from "../../graders/kit/report/results-file.ts";
import { writeReportSet } from "../../graders/kit/report/report-set.ts";
import { classResults } from "./class-results.ts";

describe("shards", () => {
  test("--shard i/n is checked", () => {
    expect(parseShard("2/5")).toEqual({ index: 2, count: 5 });
    for (const bad of ["0/2", "3/2", "1/0", "a/b", "1"]) expect(() => parseShard(bad)).toThrow(/i\/n/);
  });

  test("every student is in exactly one shard, the same one whatever the listing order, sizes within one", () => {
    const students = Array.from({ length: 23 }, (_, index) => ({ id: `student-${String(index).padStart(2, "0")}` }));
    const shards = [1, 2, 3, 4].map((index) => inShard(students, { index, count: 4 }).map((student) => student.id));
    expect(shards.flat().sort()).toEqual(students.map((student) => student.id));
    expect(Math.max(...shards.map((shard) => shard.length)) - Math.min(...shards.map((shard) => shard.length))).toBeLessThanOrEqual(1);
    expect(inShard([...students].reverse(), { index: 3, count: 4 }).map((student) => student.id)).toEqual(shards[2]);
  });

  test("merging the shards' folders gives the whole-class report set, byte for byte", async () => {
    const root = await mkdtemp(join(tmpdir(), "bpflab-merge-"));
    const options = { hiddenVisibility: "after_published" as const, classSize: classResults.length };
    await writeReportSet(join(root, "whole"), { ...options, submissions: classResults, shard: { index: 1, count: 1 } });
    for (const index of [1, 2]) {
      const part = inShard(classResults, { index, count: 2 });
      await writeReportSet(join(root, `shard-${index}`), { ...options, submissions: part, shard: { index, count: 2 } });
    }
    const files = await Promise.all([2, 1].map((index) => readResultsFile(join(root, `shard-${index}`))));
    const merged = mergeShards(files);
    await writeReportSet(join(root, "merged"), { ...options, submissions: merged.submissions, shard: { index: 1, count: 1 } });
    const whole = [...classResults].sort((a, b) => (a.id < b.id ? -1 : 1));
    await writeReportSet(join(root, "sorted"), { ...options, submissions: whole, shard: { index: 1, count: 1 } });
    for (const file of ["report.tap", "summary.csv", "summary.json", "report.html", "results.json", "gradescope/bob/results.json", "prairielearn/carol/results.json"]) {
      expect(await readFile(join(root, "merged", file), "utf8"), file).toBe(await readFile(join(root, "sorted", file), "utf8"));
    }
  });

  test("a missing, repeated or foreign shard is refused", async () => {
    const root = await mkdtemp(join(tmpdir(), "bpflab-merge-"));
    const options = { hiddenVisibility: "after_published" as const, classSize: classResults.length };
    for (const index of [1, 2, 3]) await writeReportSet(join(root, `s${index}`), { ...options, submissions: inShard(classResults, { index, count: 3 }), shard: { index, count: 3 } });
    const [one, two, three] = await Promise.all([1, 2, 3].map((index) => readResultsFile(join(root, `s${index}`))));
    expect(() => mergeShards([one!, three!])).toThrow("shard 2/3 missing");
    expect(() => mergeShards([one!, one!, two!, three!])).toThrow("shard 1/3 is there twice");
    expect(() => mergeShards([one!, two!, { ...three!, shard: { index: 3, count: 4 } }])).toThrow("different splits");
    expect(mergeShards([three!, one!, two!]).submissions).toHaveLength(classResults.length);
  });
});
