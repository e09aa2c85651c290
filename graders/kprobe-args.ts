// Lab "kprobe/kretprobe and their arguments": the unlink question answered with an untyped
// kprobe (casting argN to the type the kernel passes there), and a kretprobe's return value.
import { exercise, fail, pass, task, type Verdict } from "./kit/exercise.ts";
import { countInOrder, integerLines } from "./kit/evidence/integer-lines.ts";
import { commLines, plural, someLines } from "./kit/evidence/lines.ts";
import type { ScriptProbe } from "./kit/evidence/probes.ts";
import type { Random } from "./kit/run/random.ts";
import { unlinkerPlan, writerPlan } from "../fixtures/workloads/plans.ts";
import { parseRecords, recordsOf } from "../fixtures/workloads/records.ts";

const typedCounterpart = { kprobe: "kfunc", kretprobe: "kretfunc" } as const;

/** A kprobe (or kretprobe) on the function, and no kfunc/kretfunc (fentry/fexit) probe on it. */
function attachesUntyped(probes: readonly ScriptProbe[], provider: "kprobe" | "kretprobe", target: string): Verdict {
  const typed = probes.find((probe) => ["fentry", "fexit"].includes(probe.provider) && probe.target === target);
  if (typed) {
    return fail(`the script attaches ${typed.spec}, a typed ${typedCounterpart[provider]} probe; this exercise is about doing the same with an untyped ${provider}:${target}.`);
  }
  if (probes.some((probe) => probe.provider === provider && probe.target === target)) return pass;
  const attached = probes.map((probe) => probe.spec).join(", ") || "no probe";
  return fail(`the script attaches to ${attached}; it should attach a ${provider} to ${target}.`);
}

interface UnlinkPlan {
  comm: string;
  unlinks: Array<{ dir: string; name: string }>;
}

interface PrintedUnlink {
  comm: string;
  name: string;
  line: string;
}

/** Lines read as "<comm> <file>"; the file name is the last field. */
function printedUnlinks(lines: readonly string[]): PrintedUnlink[] {
  return commLines(lines).map(({ comm, last, line }) => ({ comm, name: last, line }));
}

function unlinkedNames(records: Record<string, string>): string[] {
  return recordsOf(parseRecords(records.unlinker ?? "", "unlinker"), "unlink").map((record) => record.name);
}

interface WritePlan {
  comm: string;
  file: string;
  sizes: number[];
  /** Another process, writing at the same time: its writes must not be printed. */
  other: UnlinkPlan;
}

function writeReturns(records: Record<string, string>): number[] {
  return recordsOf(parseRecords(records.writer ?? "", "writer"), "write").map((record) => record.ret);
}

function unlinkSteps(plan: UnlinkPlan) {
  return plan.unlinks.map((unlink) => ({ op: "unlink" as const, dir: unlink.dir, name: unlink.name }));
}

function drawUnlinks(random: Random, count: number): UnlinkPlan["unlinks"] {
  const dir = `/tmp/${random.word(8)}/${random.word(6)}`;
  const names = random.distinct(count, () => `${random.word(random.int(6, 12))}.${random.pick(["txt", "log", "tmp", "dat"])}`);
  return names.map((name) => ({ dir, name }));
}

export default exercise({
  id: "kprobe-args",
  title: "Untyped arguments: kprobe:vfs_unlink and kretprobe:vfs_write",
  requires: ["kprobe"],
  tasks: [
    task<UnlinkPlan>({
      name: "unlink-kprobe.bt",
      script: "unlink-kprobe.bt",
      output: "text",
      plan: (random) => ({ comm: `rm-${random.word(6)}`, unlinks: drawUnlinks(random, random.int(5, 8)) }),
      workloads: (plan) => [{ program: "unlinker", plan: unlinkerPlan({ comm: plan.comm, steps: unlinkSteps(plan) }) }],
      checks: [
        {
          name: "attaches a kprobe, not a kfunc, to vfs_unlink",
          points: 1,
          verify: ({ probes }) => attachesUntyped(probes, "kprobe", "vfs_unlink"),
        },
        {
          name: "prints the name of every file the workload unlinked",
          points: 2,
          verify: ({ records, output }) => {
            const names = unlinkedNames(records);
            const printed = new Set(printedUnlinks(output.lines).map((line) => line.name));
            const missing = names.filter((name) => !printed.has(name));
            if (missing.length === 0) return pass;
            return fail(
              `${plural(missing.length, "unlinked file")} of ${names.length} had no line ending with its name, e.g. ${missing[0]}: print "<comm> <file>", the name read through (struct dentry *)argN, where N is the dentry's position among vfs_unlink's arguments on this kernel, counting from arg0 (bpftrace -lv 'kfunc:vfs_unlink' lists them in order).`,
              someLines(output.lines),
            );
          },
        },
        {
          name: "prints the command name before each file name",
          points: 1,
          verify: ({ records, output, plan }) => {
            const names = new Set(unlinkedNames(records));
            const matched = printedUnlinks(output.lines).filter((line) => names.has(line.name));
            if (matched.length === 0) {
              return fail("no line ends with the name of a file the workload unlinked, so the command name could not be checked: print \"<comm> <file>\" for every vfs_unlink call.", someLines(output.lines));
            }
            const wrong = matched.filter((line) => line.comm !== plan.comm);
            if (wrong.length === 0) return pass;
            return fail(
              `the first field should be the command name (comm), "${plan.comm}" for this workload, but ${plural(wrong.length, "line")} had something else.`,
              someLines(wrong.map((line) => line.line)),
            );
          },
        },
      ],
    }),
    task<WritePlan>({
      name: "write-kretprobe.bt",
      script: "write-kretprobe.bt",
      output: "text",
      plan: (random) => ({
        comm: `wr-${random.word(6)}`,
        file: `/tmp/${random.word(8)}/${random.word(6)}.out`,
        sizes: random.distinct(random.int(5, 8), () => random.int(17, 200_000)),
        other: { comm: `rm-${random.word(6)}`, unlinks: drawUnlinks(random, 4) },
      }),
      args: (plan) => [plan.comm],
      workloads: (plan) => [
        {
          program: "writer",
          plan: writerPlan({
            comm: plan.comm,
            steps: [{ op: "file", path: plan.file }, ...plan.sizes.map((size) => ({ op: "write" as const, size }))],
          }),
        },
        // Each unlink creates its file with a 16-byte write first.
        { program: "unlinker", plan: unlinkerPlan({ comm: plan.other.comm, steps: unlinkSteps(plan.other) }) },
      ],
      checks: [
        {
          name: "attaches a kretprobe, not a kretfunc, to vfs_write",
          points: 1,
          verify: ({ probes }) => attachesUntyped(probes, "kretprobe", "vfs_write"),
        },
        {
          name: "prints what vfs_write returned for every write of the workload, in order",
          points: 2,
          verify: ({ records, output }) => {
            const returns = writeReturns(records);
            const found = countInOrder(returns, integerLines(output.lines));
            if (found === returns.length) return pass;
            return fail(
              `the workload's writes returned ${returns.join(", ")} (in that order), but only the first ${found} of them appear among the numbers printed: print retval, alone on its line, from kretprobe:vfs_write.`,
              someLines(output.lines),
            );
          },
        },
        {
          name: "prints only the writes of the command named by $1",
          points: 1,
          verify: ({ records, output, plan }) => {
            const returns = writeReturns(records);
            const printed = integerLines(output.lines);
            const found = countInOrder(returns, printed);
            if (found === 0) {
              return fail("no printed number is what the workload's first write returned, so this could not be checked: print retval for every vfs_write call of the command $1.", someLines(output.lines));
            }
            if (printed.length === found) return pass;
            return fail(
              `the workload "${plan.comm}" (passed as $1) made ${plural(returns.length, "write")}, but the script printed ${plural(printed.length, "number")}: filter with /comm == str($1)/, or it also reports other processes, including bpftrace writing its own output.`,
              someLines(printed.map((line) => line.line)),
            );
          },
        },
      ],
    }),
  ],
});
