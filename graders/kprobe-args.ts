// Lab "kprobe/kretprobe and their arguments": the unlink question answered with an untyped
// kprobe (casting argN to the type the kernel passes there), and a kretprobe's return value.
import { exercise, fail, pass, task, type Verdict } from "./kit/exercise.ts";
import { eventsNotOfTheWorkload, integersInOrder } from "./kit/evidence/in-order.ts";
import { gluedValue, holds, valueInAMap, valueLines } from "./kit/evidence/line-values.ts";
import { eachHoldsTheCommand, linesFor, withLinesFor } from "./kit/evidence/lines-for.ts";
import { plural, someLines } from "./kit/evidence/lines.ts";
import type { ScriptProbe } from "./kit/evidence/probes.ts";
import type { Random } from "./kit/run/random.ts";
import { unlinker } from "./kit/workloads/unlinker.ts";
import { recordsOf } from "./kit/workloads/workload.ts";
import { writer } from "./kit/workloads/writer.ts";

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

interface Unlinks {
  comm: string;
  dir: string;
  names: string[];
}

interface WritePlan {
  comm: string;
  file: string;
  sizes: number[];
  /** Another process, writing at the same time (16 bytes before each unlink): its writes must not be printed. */
  other: Unlinks;
}

function drawUnlinks(random: Random, comm: string, count: number): Unlinks {
  return {
    comm,
    dir: `/tmp/${random.word(8)}/${random.word(6)}`,
    names: random.distinct(count, () => `${random.word(random.int(6, 12))}.${random.pick(["txt", "log", "tmp", "dat"])}`),
  };
}

const unlinkSteps = (unlinks: Unlinks) => unlinks.names.map((name) => ({ op: "unlink" as const, dir: unlinks.dir, name }));

export default exercise({
  id: "kprobe-args",
  title: "Untyped arguments: kprobe:vfs_unlink and kretprobe:vfs_write",
  requires: ["kprobe"],
  tasks: [
    task({
      name: "unlink-kprobe.bt",
      script: "unlink-kprobe.bt",
      output: "text",
      plan: (random): Unlinks => drawUnlinks(random, `rm-${random.word(6)}`, random.int(5, 8)),
      workloads: { unlinker },
      launch: (plan) => ({ unlinker: { comm: plan.comm, steps: unlinkSteps(plan) } }),
      checks: [
        {
          id: "kprobe",
          name: "attaches a kprobe, not a kfunc, to vfs_unlink",
          points: 1,
          verify: ({ probes }) => attachesUntyped(probes, "kprobe", "vfs_unlink"),
        },
        {
          id: "file-names",
          name: "prints the name of every file the workload unlinked",
          points: 2,
          verify: ({ records, output }) => {
            const names = recordsOf(records.unlinker, "unlink").map((record) => record.name);
            const lines = valueLines(output.lines);
            const missing = names.filter((name) => !lines.some((line) => holds(line, name)));
            const first = missing[0];
            if (first === undefined) return pass;
            const why = gluedValue(lines, first) ?? valueInAMap(output.text.mapPrints, first);
            return fail(
              `${plural(missing.length, "unlinked file")} of ${names.length} had no line naming them, e.g. ${first}${why ? ` (${why})` : ""}: print "<comm> <file>", the name read through (struct dentry *)argN, where N is the dentry's position among vfs_unlink's arguments on this kernel, counting from arg0 (bpftrace -lv 'kfunc:vfs_unlink' lists them in order).`,
              someLines(output.lines),
            );
          },
        },
        {
          id: "comm",
          name: "prints the command name before each file name",
          points: 1,
          verify: ({ records, output, plan }) => {
            const found = linesFor(recordsOf(records.unlinker, "unlink"), (unlink) => unlink.name, valueLines(output.lines));
            const nothing = () => fail('no line names a file the workload unlinked, so the command name could not be checked: print "<comm> <file>" for every vfs_unlink call.', someLines(output.lines));
            return withLinesFor(found, nothing, (about) => eachHoldsTheCommand(about, plan.comm));
          },
        },
      ],
    }),
    task({
      name: "write-kretprobe.bt",
      script: "write-kretprobe.bt",
      output: "text",
      plan: (random): WritePlan => ({
        comm: `wr-${random.word(6)}`,
        file: `/tmp/${random.word(8)}/${random.word(6)}.out`,
        // Above 16, the size of the other process's writes.
        sizes: random.distinct(random.int(5, 8), () => random.int(17, 200_000)),
        other: drawUnlinks(random, `rm-${random.word(6)}`, 4),
      }),
      args: (plan) => [plan.comm],
      workloads: { writer, unlinker },
      launch: (plan) => ({
        writer: { comm: plan.comm, steps: [{ op: "file" as const, path: plan.file }, ...plan.sizes.map((size) => ({ op: "write" as const, size }))] },
        unlinker: { comm: plan.other.comm, steps: unlinkSteps(plan.other) },
      }),
      checks: [
        {
          id: "kretprobe",
          name: "attaches a kretprobe, not a kretfunc, to vfs_write",
          points: 1,
          verify: ({ probes }) => attachesUntyped(probes, "kretprobe", "vfs_write"),
        },
        {
          id: "returns",
          name: "prints what vfs_write returned for every write of the workload, in order",
          points: 2,
          verify: ({ records, output }) => {
            const returns = recordsOf(records.writer, "write").map((write) => write.ret);
            const { found } = integersInOrder(returns.map(BigInt), valueLines(output.lines));
            if (found === returns.length) return pass;
            return fail(
              `the workload's writes returned ${returns.join(", ")} (in that order), but only the first ${found} of them appear, line by line, among the numbers printed: print retval once per call from kretprobe:vfs_write.`,
              someLines(output.lines),
            );
          },
        },
        {
          id: "only-comm",
          name: "prints only the writes of the command named by $1",
          points: 1,
          verify: ({ records, output, plan, script }) => {
            const returns = recordsOf(records.writer, "write").map((write) => BigInt(write.ret));
            const inOrder = integersInOrder(returns, valueLines(output.lines));
            if (inOrder.found === 0) {
              return fail("no printed number is what the workload's first write returned, so this could not be checked: print retval for every vfs_write call of the command $1.", someLines(output.lines));
            }
            const others = eventsNotOfTheWorkload(inOrder, script.printfs);
            if (others.length === 0) return pass;
            return fail(
              `the workload "${plan.comm}" (passed as $1) made ${plural(returns.length, "write")}, but the script printed ${plural(others.length, "more line")} like them: filter with /comm == str($1)/, or it also reports other processes, including bpftrace writing its own output.`,
              someLines(others.map((line) => line.line)),
            );
          },
        },
      ],
    }),
  ],
});
