// Lab "kfunc probes", exercise 1: for every unlinked file, print the command, the parent
// directory and the file name, from a kfunc (fentry) probe on vfs_unlink.
import { exercise, fail, pass, task, type Verdict } from "./kit/exercise.ts";
import { gluedValue, holds, valueInAMap, valueLines } from "./kit/evidence/line-values.ts";
import { eachHoldsTheCommand, linesFor, withLinesFor, type Found } from "./kit/evidence/lines-for.ts";
import { plural, someLines } from "./kit/evidence/lines.ts";
import { attachesTo } from "./kit/evidence/probes.ts";
import { unlinker, type UnlinkRecord } from "./kit/workloads/unlinker.ts";
import { recordsOf } from "./kit/workloads/workload.ts";

interface Plan {
  comm: string;
  unlinks: Array<{ dir: string; name: string }>;
}

/** Each unlink the workload did, with the first line that names its file, if any. */
const unlinkLines = (unlinks: readonly UnlinkRecord[], printed: readonly string[]) => linesFor(unlinks, (unlink) => unlink.name, valueLines(printed));

/** Judges the lines printed for the workload's files, or says there are none to judge. */
function withPrintedUnlinks(unlinks: readonly UnlinkRecord[], printed: readonly string[], judge: (found: Found<UnlinkRecord>[]) => Verdict): Verdict {
  return withLinesFor(unlinkLines(unlinks, printed), () => fail("no line names a file the workload unlinked, so this could not be checked: print one line per vfs_unlink call.", someLines(printed)), judge);
}

export default exercise({
  id: "vfs-unlink",
  title: "Parent directory of every unlinked file (kfunc:vfs_unlink)",
  requires: ["fentry"],
  tasks: [
    task({
      name: "vfs-unlink.bt",
      script: "vfs-unlink.bt",
      output: "text",
      plan(random): Plan {
        const comm = `rm-${random.word(6)}`;
        const [top = "", ...parents] = random.distinct(random.int(4, 5), () => random.word(random.int(5, 9)));
        const names = random.distinct(random.int(6, 9), () => `${random.word(random.int(6, 12))}.${random.pick(["txt", "log", "tmp", "dat"])}`);
        return { comm, unlinks: names.map((name) => ({ dir: `/tmp/${top}/${random.pick(parents)}`, name })) };
      },
      workloads: { unlinker },
      launch: (plan) => ({ unlinker: { comm: plan.comm, steps: plan.unlinks.map((unlink) => ({ op: "unlink" as const, ...unlink })) } }),
      checks: [
        {
          id: "probe",
          name: "attaches a kfunc (fentry) probe to vfs_unlink",
          points: 1,
          verify: ({ probes }) =>
            attachesTo(probes, ["fentry"], "vfs_unlink")
              ? pass
              : fail(`the script attaches to ${probes.map((probe) => probe.spec).join(", ") || "no probe"}; this exercise is about kfunc:vfs_unlink (typed arguments through args).`),
        },
        {
          id: "every-file",
          name: "prints a line for every file the workload unlinked",
          points: 2,
          verify: ({ records, output }) => {
            const unlinks = recordsOf(records.unlinker, "unlink");
            const missing = unlinkLines(unlinks, output.lines).filter((match) => !match.line);
            const first = missing[0]?.item;
            if (!first) return pass;
            const why = gluedValue(valueLines(output.lines), first.name) ?? valueInAMap(output.text.mapPrints, first.name);
            return fail(
              `${plural(missing.length, "unlinked file")} of ${unlinks.length} had no line naming them, e.g. ${first.path}${why ? `: ${why}` : ""}. Print "<comm> <parent> <file>" for every vfs_unlink call.`,
              someLines(output.lines),
            );
          },
        },
        {
          id: "comm",
          name: "names the command that unlinked each file",
          points: 1,
          verify: ({ records, output, plan }) =>
            withPrintedUnlinks(recordsOf(records.unlinker, "unlink"), output.lines, (matched) => eachHoldsTheCommand(matched, plan.comm)),
        },
        {
          id: "parent",
          name: "names the parent directory of each unlinked file",
          points: 2,
          verify: ({ records, output }) =>
            withPrintedUnlinks(recordsOf(records.unlinker, "unlink"), output.lines, (matched) => {
              const wrong = matched.filter((match) => !holds(match.line, match.item.parent));
              const example = wrong[0];
              if (!example) return pass;
              const glued = gluedValue([example.line], example.item.parent);
              return fail(
                `each line should name the directory that holds the file (the dentry's d_parent): for ${example.item.path} that is "${example.item.parent}", but its line does not hold it${glued ? ` (${glued})` : ""}.`,
                someLines(wrong.map((match) => match.line.line)),
              );
            }),
        },
        {
          id: "only-real",
          name: "prints only real unlinks for the workload's command",
          points: 1,
          verify: ({ records, output, plan }) => {
            const unlinks = recordsOf(records.unlinker, "unlink");
            return withPrintedUnlinks(unlinks, output.lines, () => {
              const invented = valueLines(output.lines).filter((line) => holds(line, plan.comm) && !unlinks.some((unlink) => holds(line, unlink.name)));
              if (invented.length === 0) return pass;
              return fail(
                `${plural(invented.length, "line")} name the workload's command but no file it unlinked: print one line per vfs_unlink call, from the probe, and nothing from BEGIN or END.`,
                someLines(invented.map((line) => line.line)),
              );
            });
          },
        },
      ],
    }),
  ],
});
