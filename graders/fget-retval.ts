// Lab "kretfunc probes": fget() returns the struct file of a descriptor; print the command, the
// descriptor and the file's name, only for files whose name contains a substring. The lab's
// substring is "crack"; here it is random, given as $1.
import { exercise, fail, pass, task, type Verdict } from "./kit/exercise.ts";
import { gluedValue, holds, holdsFd, valueInAMap, valueLines, type ValueLine } from "./kit/evidence/line-values.ts";
import { eachHoldsTheCommand, linesFor, withLinesFor, type Found } from "./kit/evidence/lines-for.ts";
import { plural, someLines } from "./kit/evidence/lines.ts";
import { attachesTo } from "./kit/evidence/probes.ts";
import { mapper, type MmapRecord } from "./kit/workloads/mapper.ts";
import { recordsOf } from "./kit/workloads/workload.ts";

/** The lab's file, mapped too: a script that still looks for "crack" prints it. */
const LAB_FILE = "libcrack.so.2.9.0";

interface Plan {
  comm: string;
  substring: string;
  dir: string;
  mappings: Array<{ name: string; fd: number }>;
}

/** For each file the workload mapped whose name contains the substring, the first line naming it, if any. */
function matchingFiles(mmaps: readonly MmapRecord[], substring: string, lines: readonly ValueLine[]) {
  return linesFor(
    mmaps.filter((mmap) => mmap.name.includes(substring)),
    (mmap) => mmap.name,
    lines,
  );
}

/** Judges the lines printed for the workload's matching files, or says there are none to judge. */
function withPrintedFiles(mmaps: readonly MmapRecord[], plan: Plan, printed: readonly string[], judge: (files: Found<MmapRecord>[]) => Verdict): Verdict {
  const nothing = () =>
    fail(
      'no line names a file the workload mapped whose name contains $1, so this could not be checked: print "<comm> (fd<N>):  <name>" from kretfunc:fget for those files.',
      someLines(printed),
    );
  return withLinesFor(matchingFiles(mmaps, plan.substring, valueLines(printed)), nothing, judge);
}

/** A name cut short: str(ptr, N) keeps N-1 characters. */
function cutName(lines: readonly ValueLine[], name: string): boolean {
  return lines.some((line) => line.words.some((word) => word.length >= 3 && word !== name && name.startsWith(word)));
}

export default exercise({
  id: "fget-retval",
  title: "Files returned by fget() whose name contains a substring (kretfunc:fget)",
  requires: ["fentry"],
  tasks: [
    task({
      name: "fget.bt",
      script: "fget.bt",
      output: "text",
      plan(random): Plan {
        const substring = random.word(5);
        const extension = () => random.pick(["so", "so.1", "dat", "bin"]);
        const matching = random.distinct(random.int(3, 5), () =>
          [random.pick(["", random.word(random.int(2, 6))]), substring, random.pick(["", `-${random.word(random.int(2, 4))}`]), `.${extension()}`].join(""),
        );
        const others = random
          .distinct(random.int(3, 5), () => `${random.word(random.int(4, 10))}${random.pick(["", `-${random.word(3)}`])}.${extension()}`)
          .filter((name) => !name.includes(substring));
        const names = random.shuffle([...matching, ...others, ...(LAB_FILE.includes(substring) ? [] : [LAB_FILE])]);
        const fds = random.distinct(names.length, () => random.int(3, 1023));
        return { comm: `mp-${random.word(6)}`, substring, dir: `/tmp/${random.word(8)}`, mappings: names.map((name, index) => ({ name, fd: fds[index] ?? 3 })) };
      },
      args: (plan) => [plan.substring],
      workloads: { mapper },
      launch: (plan) => ({
        mapper: { comm: plan.comm, steps: plan.mappings.map((mapping) => ({ op: "map" as const, path: `${plan.dir}/${mapping.name}`, size: 4096, fd: mapping.fd })) },
      }),
      checks: [
        {
          id: "probe",
          name: "attaches a kretfunc (fexit) probe to fget",
          points: 1,
          verify: ({ probes }) =>
            attachesTo(probes, ["fexit"], "fget")
              ? pass
              : fail(`the script attaches to ${probes.map((probe) => probe.spec).join(", ") || "no probe"}; this exercise is about kretfunc:fget, where retval is the struct file fget() returns.`),
        },
        {
          id: "every-file",
          name: "prints a line for every mapped file whose name contains $1",
          points: 2,
          verify: ({ records, output, plan }) => {
            const lines = valueLines(output.lines);
            const files = matchingFiles(recordsOf(records.mapper, "mmap"), plan.substring, lines);
            const missing = files.filter((file) => !file.line);
            const first = missing[0]?.item;
            if (!first) return pass;
            const why = gluedValue(lines, first.name) ?? valueInAMap(output.text.mapPrints, first.name);
            const hint = why
              ? ` (${why})`
              : cutName(lines, first.name)
                ? `. A line shows only the start of ${first.name}: str(ptr, N) keeps at most N-1 characters, so pick an N above the longest name (32 is enough here).`
                : `. Filter with strcontains(name, str($1)): $1 is "${plan.substring}" in this run, not a fixed string.`;
            return fail(
              `${plural(missing.length, "file")} of ${files.length} whose name contains "${plan.substring}" had no line naming them, e.g. ${first.name} (mapped through fd ${first.fd})${hint}`,
              someLines(output.lines),
            );
          },
        },
        {
          id: "fd",
          name: "shows the fd each file was mapped through",
          points: 1,
          verify: ({ records, output, plan }) =>
            withPrintedFiles(recordsOf(records.mapper, "mmap"), plan, output.lines, (files) => {
              const wrong = files.filter((file) => !holdsFd(file.line, file.item.fd));
              const example = wrong[0];
              if (!example) return pass;
              return fail(
                `each line should show the descriptor fget() was called with (args.fd), as the lab does with "(fd<N>):"; ${example.item.name} was mapped through fd ${example.item.fd}, but its line does not hold ${example.item.fd}.`,
                someLines(wrong.map((file) => file.line.line)),
              );
            }),
        },
        {
          id: "comm",
          name: "names the command that mapped each file",
          points: 1,
          verify: ({ records, output, plan }) =>
            withPrintedFiles(recordsOf(records.mapper, "mmap"), plan, output.lines, (files) => eachHoldsTheCommand(files, plan.comm)),
        },
        {
          id: "only-matching",
          name: "prints no file whose name lacks $1",
          points: 2,
          verify: ({ records, output, plan }) => {
            const mmaps = recordsOf(records.mapper, "mmap");
            return withPrintedFiles(mmaps, plan, output.lines, () => {
              const lacking = mmaps.filter((mmap) => !mmap.name.includes(plan.substring)).map((mmap) => mmap.name);
              const wrong = valueLines(output.lines).filter((line) => lacking.some((name) => holds(line, name)));
              if (wrong.length === 0) return pass;
              return fail(
                `${plural(wrong.length, "line")} named a file without "${plan.substring}" (this run's $1) in its name: print a file only when strcontains() finds str($1) in its (clamped) name.`,
                someLines(wrong.map((line) => line.line)),
              );
            });
          },
        },
      ],
    }),
  ],
});
