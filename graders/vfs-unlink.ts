// Lab "kfunc probes", exercise 1: for every unlinked file, print the command, the parent
// directory and the file name, from a kfunc (fentry) probe on vfs_unlink.
import { exercise, fail, pass, task } from "./kit/exercise.ts";
import { commLines, fieldsOf, plural, someLines } from "./kit/evidence/lines.ts";
import { attachesTo } from "./kit/evidence/probes.ts";
import { unlinkerPlan } from "../fixtures/workloads/plans.ts";
import { parseRecords, recordsOf } from "../fixtures/workloads/records.ts";

interface Unlink {
  dir: string;
  parent: string;
  name: string;
}

interface Plan {
  comm: string;
  unlinks: Unlink[];
}

interface Printed {
  comm: string;
  /** Present when the line has the three fields the task asks for. */
  parent?: string;
  name: string;
  line: string;
}

/** Lines read as "<comm> [<parent>] <file>", so that the starter's two fields still count. */
function printedLines(lines: readonly string[]): Printed[] {
  return commLines(lines).map(({ comm, middle, last, line }) =>
    middle.length === 1 ? { comm, parent: middle[0], name: last, line } : { comm, name: last, line },
  );
}

function unlinked(records: Record<string, string>): Unlink[] {
  return recordsOf(parseRecords(records.unlinker ?? "", "unlinker"), "unlink").map((record) => ({
    dir: record.dir,
    parent: record.parent,
    name: record.name,
  }));
}

/** For each unlink the workload did, the line the student printed for that file, if any. */
function matchLines(unlinks: readonly Unlink[], printed: readonly Printed[]): Array<{ unlink: Unlink; line?: Printed }> {
  return unlinks.map((unlink) => {
    const line = printed.find((candidate) => candidate.name === unlink.name);
    return line ? { unlink, line } : { unlink };
  });
}

function noLinesForTheWorkload(lines: readonly string[]) {
  return fail("no line names a file the workload unlinked, so this could not be checked: print one line per vfs_unlink call.", someLines(lines));
}

export default exercise({
  id: "vfs-unlink",
  title: "Parent directory of every unlinked file (kfunc:vfs_unlink)",
  requires: ["fentry"],
  tasks: [
    task<Plan>({
      name: "vfs-unlink.bt",
      script: "vfs-unlink.bt",
      output: "text",
      plan(random) {
        const comm = `rm-${random.word(6)}`;
        const top = `/tmp/${random.word(8)}`;
        const parents = random.distinct(random.int(3, 4), () => random.word(random.int(5, 9)));
        const names = random.distinct(random.int(6, 9), () => `${random.word(random.int(6, 12))}.${random.pick(["txt", "log", "tmp", "dat"])}`);
        const unlinks = names.map((name) => {
          const parent = random.pick(parents);
          return { dir: `${top}/${parent}`, parent, name };
        });
        return { comm, unlinks };
      },
      workloads: (plan) => [
        {
          program: "unlinker",
          plan: unlinkerPlan({
            comm: plan.comm,
            steps: plan.unlinks.map((unlink) => ({ op: "unlink", dir: unlink.dir, name: unlink.name })),
          }),
        },
      ],
      checks: [
        {
          name: "attaches a kfunc (fentry) probe to vfs_unlink",
          points: 1,
          verify: ({ probes }) =>
            attachesTo(probes, ["fentry"], "vfs_unlink")
              ? pass
              : fail(
                  `the script attaches to ${probes.map((probe) => probe.spec).join(", ") || "no probe"}; this exercise is about kfunc:vfs_unlink (typed arguments through args).`,
                ),
        },
        {
          name: "prints a line for every file the workload unlinked",
          points: 2,
          verify: ({ records, output }) => {
            const truth = unlinked(records);
            const missing = matchLines(truth, printedLines(output.lines)).filter((match) => !match.line);
            if (missing.length === 0) return pass;
            const misplaced = missing.find((match) => output.lines.some((line) => fieldsOf(line).includes(match.unlink.name)));
            if (misplaced) {
              return fail(
                `a line names ${misplaced.unlink.name} but not as its last field: print "<comm> <parent> <file>", in that order.`,
                someLines(output.lines),
              );
            }
            return fail(
              `${plural(missing.length, "unlinked file")} of ${truth.length} had no line ending with the file's name, e.g. ${missing[0]?.unlink.dir}/${missing[0]?.unlink.name}: print "<comm> <parent> <file>" for every vfs_unlink call.`,
              someLines(output.lines),
            );
          },
        },
        {
          name: "names the command that unlinked each file",
          points: 1,
          verify: ({ records, output, plan }) => {
            const matches = matchLines(unlinked(records), printedLines(output.lines)).filter((match) => match.line);
            if (matches.length === 0) return noLinesForTheWorkload(output.lines);
            const wrong = matches.filter((match) => match.line?.comm !== plan.comm);
            if (wrong.length === 0) return pass;
            return fail(
              `the first field should be the command name (comm), "${plan.comm}" for this workload, but ${plural(wrong.length, "line")} had something else.`,
              someLines(wrong.map((match) => match.line?.line ?? "")),
            );
          },
        },
        {
          name: "names the parent directory of each unlinked file",
          points: 2,
          verify: ({ records, output }) => {
            const matches = matchLines(unlinked(records), printedLines(output.lines)).filter((match) => match.line);
            if (matches.length === 0) return noLinesForTheWorkload(output.lines);
            const wrong = matches.filter((match) => match.line?.parent !== match.unlink.parent);
            if (wrong.length === 0) return pass;
            const example = wrong[0];
            const hint =
              example?.line?.parent !== undefined
                ? ` For ${example.unlink.dir}/${example.unlink.name} the parent is "${example.unlink.parent}", but the line says "${example.line.parent}".`
                : example
                  ? ` Lines need three fields, "<comm> <parent> <file>"; this one has ${fieldsOf(example.line?.line ?? "").length}.`
                  : "";
            return fail(
              `the second field should be the name of the directory that holds the file (the dentry's d_parent).${hint}`,
              someLines(wrong.map((match) => match.line?.line ?? "")),
            );
          },
        },
        {
          name: "prints only real unlinks for the workload's command",
          points: 1,
          verify: ({ records, output, plan }) => {
            const names = new Set(unlinked(records).map((unlink) => unlink.name));
            if (!output.lines.some((line) => fieldsOf(line).some((field) => names.has(field)))) {
              return noLinesForTheWorkload(output.lines);
            }
            const invented = output.lines.filter((line: string) => line.includes(plan.comm) && !fieldsOf(line).some((field) => names.has(field)));
            if (invented.length === 0) return pass;
            return fail(
              `${plural(invented.length, "line")} mention the workload's command but no file it unlinked: print one line per vfs_unlink call, from the probe, and nothing from BEGIN or END.`,
              someLines(invented),
            );
          },
        },
      ],
    }),
  ],
});
