// Lab "kfunc probes", Top tip: print() a kfunc's whole args, and the whole struct file that
// args.file points to, for one process only. The workload's command name is random and given
// to the scripts as $1; another process writes at the same time.
import { exercise, fail, pass, task, type Check, type Records, type Task } from "./kit/exercise.ts";
import { inOrder } from "./kit/evidence/in-order.ts";
import { plural, someLines } from "./kit/evidence/lines.ts";
import { attachesTo } from "./kit/evidence/probes.ts";
import type { Random } from "./kit/run/random.ts";
import { parseTextValue, textValueBigInt, textValueField, type TextValue } from "./kit/bpftrace/text-value.ts";
import { contender } from "./kit/workloads/contender.ts";
import { recordsOf } from "./kit/workloads/workload.ts";
import { writer, type WriteRecord } from "./kit/workloads/writer.ts";

interface Plan {
  comm: string;
  path: string;
  sizes: number[];
  pauseUs: number;
  noise: { comm: string; path: string; bytes: number; rounds: number };
}

/** One value read from a printed struct, with the line it came from. */
interface Printed {
  field: string;
  value: bigint;
  line: string;
}

function drawPlan(random: Random): Plan {
  const [comm = "", noiseComm = ""] = random.distinct(2, () => `wr-${random.word(6)}`);
  return {
    comm,
    path: `/tmp/${random.word(8)}/${random.word(6)}.dat`,
    sizes: random.distinct(random.int(6, 9), () => random.int(1, 16384)),
    pauseUs: random.int(2_000, 10_000),
    noise: { comm: noiseComm, path: `/tmp/${random.word(8)}/${random.word(6)}.log`, bytes: random.int(16385, 32768), rounds: random.int(20, 40) },
  };
}

/**
 * The workload writes its buffers with pauses between them; meanwhile another process (the
 * noise) pwrite()s buffers of other sizes to another file, which also goes through vfs_write.
 */
const workloads = { writer, contender };
type Evidence = Records<typeof workloads>;

function launch(plan: Plan) {
  return {
    writer: {
      comm: plan.comm,
      steps: [
        { op: "file" as const, path: plan.path },
        ...plan.sizes.flatMap((size, index) => [...(index > 0 ? [{ op: "pause" as const, us: plan.pauseUs }] : []), { op: "write" as const, size }]),
      ],
    },
    contender: { comm: plan.noise.comm, file: plan.noise.path, threads: 2, bytes: plan.noise.bytes, rounds: plan.noise.rounds },
  };
}

function writesOf(records: Evidence): WriteRecord[] {
  return recordsOf(records.writer, "write");
}

/** Lines that print() a struct, parsed, with the integer field `field` of each. */
function printedStructs(lines: readonly string[], isStruct: (value: TextValue) => boolean, field: string): Printed[] {
  return lines.flatMap((line) => {
    const value = parseTextValue(line);
    const fieldValue = textValueBigInt(textValueField(value, [field]));
    return isStruct(value) && fieldValue !== undefined ? [{ value: fieldValue, line, field }] : [];
  });
}

/** A printed struct for an excerpt: a struct file takes over a thousand characters, so long lines are cut. */
function excerptOf(printed: readonly Printed[]): string[] {
  return someLines(printed.map(({ line, field, value }) => (line.length <= 200 ? line : `${line.slice(0, 120)} ... .${field} = ${value}, ...`)), 6);
}

/** print(args) of vfs_write: `{ .file = 0x..., .buf = 0x..., .count = 8, .pos = 0x... }`. */
const isVfsWriteArgs = (value: TextValue) => textValueField(value, ["file"])?.kind === "pointer" && textValueField(value, ["buf"]) !== undefined;

/** print(*args.file): `{ ..., .f_path = { .mnt = 0x..., .dentry = 0x... }, ..., .f_pos = 0, ... }`. */
const isStructFile = (value: TextValue) => textValueField(value, ["f_path", "dentry"])?.kind === "pointer";

/** The expected values found in order among the printed structs (others may come between). */
const structsInOrder = (expected: readonly bigint[], printed: readonly Printed[]) => inOrder(expected, printed, (struct, value) => struct.value === value);

/** What one script must print for every write of the workload, and how to say it. */
interface Printout {
  script: string;
  /** Short, for check ids: "args" or "file". */
  key: string;
  /** The name of the check that every write was printed. */
  everyWriteCheck: string;
  /** What one printed struct looks like, for messages. */
  looksLike: string;
  printed(lines: readonly string[]): Printed[];
  /** The value the printout must show for each write, in the order of the writes. */
  expected(writes: readonly WriteRecord[]): bigint[];
  describeMissing(value: bigint): string;
  /** A hint for output that holds no such struct at all. */
  hintWithoutStructs(lines: readonly string[]): string;
}

const argsPrintout: Printout = {
  script: "write-args.bt",
  key: "args",
  everyWriteCheck: "write-args.bt prints args for each write of the workload, with its count, in order",
  looksLike: "{ .file = 0x..., .buf = 0x..., .count = N, .pos = 0x... }",
  printed: (lines) => printedStructs(lines, isVfsWriteArgs, "count"),
  expected: (writes) => writes.map((write) => BigInt(write.count)),
  describeMissing: (count) => `the write of ${count} bytes has no print(args) line with .count = ${count} in its place`,
  hintWithoutStructs: () => "print(args) in a kfunc:vfs_write probe",
};

const filePrintout: Printout = {
  script: "write-file.bt",
  key: "file",
  everyWriteCheck: "write-file.bt prints the struct file for each write, f_pos at the bytes written before it",
  looksLike: "{ .f_count = , ..., .f_path = { ... }, ..., .f_pos = N, ... }",
  printed: (lines) => printedStructs(lines, isStructFile, "f_pos"),
  // Before each write, the file offset is the number of bytes written to the file so far.
  expected: (writes) => writes.map((_, index) => writes.slice(0, index).reduce((sum, write) => sum + BigInt(write.ret), 0n)),
  describeMissing: (pos) => `the write made at offset ${pos} has no struct file with .f_pos = ${pos} in its place`,
  hintWithoutStructs: (lines) =>
    lines.some((line) => parseTextValue(line).kind === "pointer")
      ? "it prints a pointer (0x...): print(*args.file) dereferences args.file and prints the struct it points to"
      : "print(*args.file) in a kfunc:vfs_write probe",
};

function printsEveryWrite(printout: Printout): Check<Plan, "text", Evidence> {
  return {
    id: `${printout.key}-every-write`,
    name: printout.everyWriteCheck,
    points: 2,
    verify: ({ records, output, plan }) => {
      const printed = printout.printed(output.lines);
      if (printed.length === 0) {
        return fail(
          `${printout.script} printed no struct like ${printout.looksLike} for the workload (command "${plan.comm}", given as $1): ${printout.hintWithoutStructs(output.lines)}, with the predicate /comm == str($1)/.`,
          someLines(output.lines),
        );
      }
      const writes = writesOf(records);
      const expected = printout.expected(writes);
      const missing = expected.slice(structsInOrder(expected, printed).found);
      if (missing.length === 0) return pass;
      return fail(
        `${printout.script}'s output missed ${plural(missing.length, "write")} of the ${writes.length} the workload made, taken in order; e.g. ${printout.describeMissing(missing[0] ?? 0n)}. Print once per vfs_write call, on entry (kfunc), for the process named $1.`,
        excerptOf(printed),
      );
    },
  };
}

function printsOnlyTheWorkload(printout: Printout): Check<Plan, "text", Evidence> {
  return {
    id: `${printout.key}-only-workload`,
    name: `${printout.script} prints nothing for other processes`,
    points: 1,
    verify: ({ records, output, plan }) => {
      const printed = printout.printed(output.lines);
      if (printed.length === 0) {
        return fail(`${printout.script} printed no struct like ${printout.looksLike}, so this could not be checked.`, someLines(output.lines));
      }
      const others = structsInOrder(printout.expected(writesOf(records)), printed).unmatched;
      if (others.length === 0) return pass;
      return fail(
        `of the ${printed.length} structs ${printout.script} printed, ${others.length} came from writes other than the workload's: other processes write too. Trace only the process whose command is $1 ("${plan.comm}" in this run) with the predicate /comm == str($1)/.`,
        excerptOf(others),
      );
    },
  };
}

function attachesToVfsWrite(printout: Printout): Check<Plan, "text", Evidence> {
  const { script } = printout;
  return {
    id: `${printout.key}-probe`,
    name: `${script} attaches a kfunc (fentry) probe to vfs_write`,
    points: 1,
    verify: ({ probes }) =>
      attachesTo(probes, ["fentry"], "vfs_write")
        ? pass
        : fail(
            `${script} attaches to ${probes.map((probe) => probe.spec).join(", ") || "no probe"}; this exercise is about kfunc:vfs_write, which runs on entry to vfs_write, before the write.`,
            someLines(probes.map((probe) => probe.spec)),
          ),
  };
}

function printTask(printout: Printout): Task {
  return task({
    name: printout.script,
    script: printout.script,
    output: "text",
    plan: drawPlan,
    args: (plan) => [plan.comm],
    workloads,
    launch,
    checks: [
      attachesToVfsWrite(printout),
      printsEveryWrite(printout),
      printsOnlyTheWorkload(printout),
    ],
  });
}

export default exercise({
  id: "vfs-write-args",
  title: "print() of args and of *args.file for one process (kfunc:vfs_write)",
  requires: ["fentry"],
  tasks: [printTask(argsPrintout), printTask(filePrintout)],
});
