// Lab "kretfunc probes": fget() returns the struct file of a descriptor; print the command, the
// descriptor and the file's name, only for files whose name contains a substring. The lab's
// substring is "crack"; here it is random, given as $1.
import { exercise, fail, pass, task } from "./kit/exercise.ts";
import { fieldsOf, plural, someLines } from "./kit/evidence/lines.ts";
import { attachesTo } from "./kit/evidence/probes.ts";
import { mapperPlan } from "../fixtures/workloads/plans.ts";
import { parseRecords, recordsOf, type MmapRecord } from "../fixtures/workloads/records.ts";

/** The lab's file, mapped too: a script that still looks for "crack" prints it. */
const LAB_FILE = "libcrack.so.2.9.0";

interface Plan {
  comm: string;
  substring: string;
  dir: string;
  mappings: Array<{ name: string; fd: number }>;
}

interface Printed {
  comm: string;
  /** From a "(fd<N>):" field, when the line has one. */
  fd?: number;
  name: string;
  line: string;
}

const FD_FIELD = /^\(fd(\d+)\):?$/;

/** Lines read as "<comm> (fd<N>):  <name>"; the fd field may be missing (the starter has none). */
function printedLines(lines: readonly string[]): Printed[] {
  return lines.flatMap((line) => {
    const fields = fieldsOf(line);
    const [comm, name] = [fields[0], fields.at(-1)];
    if (fields.length < 2 || comm === undefined || name === undefined) return [];
    const fd = fields.slice(1, -1).map((field) => FD_FIELD.exec(field)?.[1]).find((digits) => digits !== undefined);
    return [fd === undefined ? { comm, name, line } : { comm, fd: Number(fd), name, line }];
  });
}

function mapped(records: Record<string, string>): MmapRecord[] {
  return recordsOf(parseRecords(records.mapper ?? "", "mapper"), "mmap");
}

/** For each file the workload mapped whose name contains the substring, the line printed for it, if any. */
function matchingFiles(records: Record<string, string>, substring: string, lines: readonly string[]): Array<{ mmap: MmapRecord; line?: Printed }> {
  const printed = printedLines(lines);
  return mapped(records)
    .filter((mmap) => mmap.name.includes(substring))
    .map((mmap) => {
      const line = printed.find((candidate) => candidate.name === mmap.name);
      return line ? { mmap, line } : { mmap };
    });
}

function noLinesForTheWorkload(lines: readonly string[]) {
  return fail(
    'no line names a file the workload mapped whose name contains $1, so this could not be checked: print "<comm> (fd<N>):  <name>" from kretfunc:fget for those files.',
    someLines(lines),
  );
}

export default exercise({
  id: "fget-retval",
  title: "Files returned by fget() whose name contains a substring (kretfunc:fget)",
  requires: ["fentry"],
  tasks: [
    task<Plan>({
      name: "fget.bt",
      script: "fget.bt",
      output: "text",
      plan(random) {
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
        return {
          comm: `mp-${random.word(6)}`,
          substring,
          dir: `/tmp/${random.word(8)}`,
          mappings: names.map((name, index) => ({ name, fd: fds[index] ?? 3 })),
        };
      },
      args: (plan) => [plan.substring],
      workloads: (plan) => [
        {
          program: "mapper",
          plan: mapperPlan({
            comm: plan.comm,
            steps: plan.mappings.map((mapping) => ({ op: "map", path: `${plan.dir}/${mapping.name}`, size: 4096, fd: mapping.fd })),
          }),
        },
      ],
      checks: [
        {
          name: "attaches a kretfunc (fexit) probe to fget",
          points: 1,
          verify: ({ probes }) =>
            attachesTo(probes, ["fexit"], "fget")
              ? pass
              : fail(
                  `the script attaches to ${probes.map((probe) => probe.spec).join(", ") || "no probe"}; this exercise is about kretfunc:fget, where retval is the struct file fget() returns.`,
                ),
        },
        {
          name: "prints a line for every mapped file whose name contains $1",
          points: 2,
          verify: ({ records, output, plan }) => {
            const files = matchingFiles(records, plan.substring, output.lines);
            const missing = files.filter((file) => !file.line);
            if (missing.length === 0) return pass;
            const cut = missing.find((file) => printedLines(output.lines).some((line) => line.name.length > 0 && file.mmap.name.startsWith(line.name)));
            const hint = cut
              ? ` A line shows only the start of ${cut.mmap.name}: str(ptr, N) keeps at most N-1 characters, so pick an N above the longest name (32 is enough here).`
              : ` Filter with strcontains(name, str($1)): $1 is "${plan.substring}" in this run, not a fixed string.`;
            return fail(
              `${plural(missing.length, "file")} of ${files.length} whose name contains "${plan.substring}" had no line ending with its name, e.g. ${missing[0]?.mmap.name} (mapped through fd ${missing[0]?.mmap.fd}).${hint}`,
              someLines(output.lines),
            );
          },
        },
        {
          name: "shows the fd each file was mapped through",
          points: 1,
          verify: ({ records, output, plan }) => {
            const printed = matchingFiles(records, plan.substring, output.lines).flatMap((file) => (file.line ? [{ mmap: file.mmap, line: file.line }] : []));
            if (printed.length === 0) return noLinesForTheWorkload(output.lines);
            const wrong = printed.filter((file) => file.line.fd !== file.mmap.fd);
            if (wrong.length === 0) return pass;
            const example = wrong[0];
            const shown = example?.line.fd === undefined ? "no (fd<N>): field" : `fd${example.line.fd}`;
            return fail(
              `the second field should be "(fd<N>):" with the descriptor fget() was called with (args.fd); ${example?.mmap.name} was mapped through fd ${example?.mmap.fd}, but its line has ${shown}.`,
              someLines(wrong.map((file) => file.line.line)),
            );
          },
        },
        {
          name: "names the command that mapped each file",
          points: 1,
          verify: ({ records, output, plan }) => {
            const printed = matchingFiles(records, plan.substring, output.lines).flatMap((file) => (file.line ? [file.line] : []));
            if (printed.length === 0) return noLinesForTheWorkload(output.lines);
            const wrong = printed.filter((line) => line.comm !== plan.comm);
            if (wrong.length === 0) return pass;
            return fail(
              `the first field should be the command name (comm), "${plan.comm}" for this workload, but ${plural(wrong.length, "line")} had something else.`,
              someLines(wrong.map((line) => line.line)),
            );
          },
        },
        {
          name: "prints no file whose name lacks $1",
          points: 2,
          verify: ({ records, output, plan }) => {
            const workloadFiles = new Set(mapped(records).map((mmap) => mmap.name));
            // Lines about a file: the workload's files, and any "(fd<N>):" line of another process.
            const fileLines = printedLines(output.lines).filter((line) => workloadFiles.has(line.name) || line.fd !== undefined);
            if (fileLines.length === 0) return noLinesForTheWorkload(output.lines);
            const wrong = fileLines.filter((line) => !line.name.includes(plan.substring));
            if (wrong.length === 0) return pass;
            return fail(
              `${plural(wrong.length, "line")} named a file without "${plan.substring}" (this run's $1) in its name: print a file only when strcontains() finds str($1) in its (clamped) name.`,
              someLines(wrong.map((line) => line.line)),
            );
          },
        },
      ],
    }),
  ],
});
