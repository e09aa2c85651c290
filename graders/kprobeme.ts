// Lab "Exercises" after the kernel sections: the kprobeme detective questions, one script each.
// kprobeme opens one file with the raw open(2) syscall, reads it, and closes the descriptor
// except every Nth time. Which file, which descriptors, which of them leak?
import { exercise, fail, pass, task, type Check, type Records } from "./kit/exercise.ts";
import { eventsNotOfTheWorkload, integersInOrder } from "./kit/evidence/in-order.ts";
import { pathsIn, valueLines } from "./kit/evidence/line-values.ts";
import { plural, someLines } from "./kit/evidence/lines.ts";
import type { TextOutput } from "./kit/bpftrace/text-output.ts";
import { textValueBigInt } from "./kit/bpftrace/text-value.ts";
import type { Random } from "./kit/run/random.ts";
import { kprobeme, type OpenRecord } from "./kit/workloads/kprobeme.ts";
import { recordsOf } from "./kit/workloads/workload.ts";

interface Mystery {
  comm: string;
  path: string;
  iterations: number;
  leakEvery: number;
}

interface Plan {
  kprobeme: Mystery;
  /** Another process doing the same to another file at the same time: scripts must leave it out. */
  other: Mystery;
}

const intervalUs = 10_000;

function drawPath(random: Random): string {
  return `/${random.pick(["tmp", "var/tmp"])}/${random.word(6)}/${random.word(8)}.${random.pick(["conf", "dat", "state", "cache"])}`;
}

/** Some descriptors leak, and the last few opens after the last leak are closed again. */
function drawMystery(random: Random, comm: string, leaks: number): Mystery {
  const leakEvery = random.int(3, 6);
  return { comm, path: drawPath(random), iterations: leakEvery * leaks + random.int(1, leakEvery - 1), leakEvery };
}

function planOf(mystery: Mystery) {
  return {
    comm: mystery.comm,
    // Created by the traced process itself, with openat(2): only the loop uses open(2).
    create: [{ path: mystery.path, size: 3000 }],
    path: mystery.path,
    iterations: mystery.iterations,
    leakEvery: mystery.leakEvery,
    intervalUs,
  };
}

/** kprobeme, and another process doing the same to another file at the same time. */
const workloads = { kprobeme, other: kprobeme };
type Evidence = Records<typeof workloads>;

function opens(records: Evidence): OpenRecord[] {
  return recordsOf(records.kprobeme, "open");
}

function leakedFds(records: Evidence): number[] {
  return opens(records)
    .filter((open) => !open.closed)
    .map((open) => open.fd);
}

/** Every absolute path printed, with its line; a line may hold several. */
function printedPaths(lines: readonly string[]): Array<{ path: string; line: string }> {
  return lines.flatMap((line) => pathsIn(line).map((path) => ({ path, line })));
}

/** The integer keys of the map printed at exit, or why there are none. */
function openFdsAtExit(text: TextOutput): { fds: number[] } | { problem: string } {
  const map = text.maps["@open_fds"];
  if (!map) {
    const others = Object.keys(text.maps);
    return {
      problem: `no @open_fds map was printed at exit${others.length > 0 ? ` (only ${others.join(", ")})` : ""}: keep kprobeme's open descriptors in @open_fds[fd] and let bpftrace print it when it stops.`,
    };
  }
  const keys = map.entries.map((entry) => (entry.keyParts.length === 1 ? textValueBigInt(entry.keyParts[0]) : undefined));
  const fds = keys.flatMap((key) => (key === undefined ? [] : [Number(key)]));
  if (fds.length < keys.length) {
    return { problem: "@open_fds should be keyed by the descriptor alone, @open_fds[fd], but some keys are not a single number." };
  }
  return { fds };
}

function mapLines(text: TextOutput): string[] {
  return someLines(text.maps["@open_fds"]?.entries.map((entry) => `@open_fds[${entry.key ?? ""}]`) ?? text.lines);
}

const launch = (plan: Plan) => ({ kprobeme: planOf(plan.kprobeme), other: planOf(plan.other) });

function drawPlan(random: Random): Plan {
  const leaks = random.int(3, 5);
  return {
    kprobeme: drawMystery(random, "kprobeme", leaks),
    // More leaks than kprobeme: a script that mixes the two sees descriptors kprobeme never had.
    other: drawMystery(random, random.word(8), leaks + 2),
  };
}

const whichFile: Check<Plan, "text", Evidence>[] = [
  {
    id: "which-file",
    name: "names the file kprobeme opens",
    points: 2,
    verify: ({ output, plan }) => {
      const paths = printedPaths(output.lines);
      if (paths.length === 0) return fail("no line holds a path: print the file name of each open(2) call, one line per call.", someLines(output.lines));
      const others = paths.filter((printed) => printed.path !== plan.kprobeme.path);
      if (others.length === 0) return pass;
      const named = paths.length > others.length ? `kprobeme's file, but also ${others[0]?.path}` : others[0]?.path;
      return fail(
        `the script printed ${named}, which kprobeme did not open(2): print the path from the open(2) call itself, only for the process named kprobeme (/comm == "kprobeme"/). The file changes on every run.`,
        someLines(others.map((printed) => printed.line)),
      );
    },
  },
  {
    id: "line-per-open",
    name: "prints one line per open(2) call",
    points: 1,
    verify: ({ records, output, plan }) => {
      const expected = opens(records).length;
      const printed = output.lines.filter((line) => pathsIn(line).includes(plan.kprobeme.path)).length;
      if (printed === expected) return pass;
      const why =
        printed < expected
          ? "print one line from a probe on the open(2) system call, every time it is called; kprobeme creates its file with openat(2) first, a different system call."
          : "trace open(2) only: openat(2) is a different system call, which kprobeme uses once to create the file.";
      return fail(`kprobeme called open(2) ${plural(expected, "time")}, but ${plural(printed, "line")} named its file: ${why}`, someLines(output.lines));
    },
  },
];

const newFd: Check<Plan, "text", Evidence>[] = [
  {
    id: "fds-in-order",
    name: "prints the descriptor every open(2) call returned, in order",
    points: 2,
    verify: ({ records, output }) => {
      const fds = opens(records).map((open) => open.fd);
      const { found } = integersInOrder(fds.map(BigInt), valueLines(output.lines));
      if (found === fds.length) return pass;
      return fail(
        `kprobeme's open(2) calls returned ${fds.join(" ")}, but only the first ${found} of them were printed in that order, line by line: print the return value of open(2), one line per call (the descriptor is only known when the call returns; kprobeme uses open(2), not openat(2)).`,
        someLines(output.lines),
      );
    },
  },
  {
    id: "only-kprobeme",
    name: "prints only kprobeme's open(2) descriptors",
    points: 1,
    verify: ({ records, output, script }) => {
      const inOrder = integersInOrder(
        opens(records).map((open) => BigInt(open.fd)),
        valueLines(output.lines),
      );
      if (inOrder.found === 0) return fail("no printed number is the descriptor of kprobeme's first open(2) call, so this could not be checked.", someLines(output.lines));
      const others = eventsNotOfTheWorkload(inOrder, script.printfs);
      if (others.length === 0) return pass;
      return fail(
        `${plural(others.length, "more line")} like those of kprobeme's descriptors ${others.length === 1 ? "is" : "are"} not about its open(2) calls: filter on the process name (/comm == "kprobeme"/) and trace open(2) only.`,
        someLines(others.map((line) => line.line)),
      );
    },
  },
];

const leaked: Check<Plan, "text", Evidence>[] = [
  {
    id: "leaked-kept",
    name: "@open_fds holds every leaked descriptor at exit",
    points: 2,
    verify: ({ records, output }) => {
      const atExit = openFdsAtExit(output.text);
      if ("problem" in atExit) return fail(atExit.problem, someLines(output.lines));
      const missing = leakedFds(records).filter((fd) => !atExit.fds.includes(fd));
      if (missing.length === 0) return pass;
      return fail(
        `kprobeme never closed ${plural(missing.length, "descriptor")} missing from @open_fds: ${missing.join(", ")}. Add an entry when open(2) returns a descriptor, and delete it only when kprobeme's close(2) closes that descriptor.`,
        mapLines(output.text),
      );
    },
  },
  {
    id: "closed-deleted",
    name: "@open_fds holds no descriptor kprobeme closed",
    points: 1,
    verify: ({ records, output }) => {
      const atExit = openFdsAtExit(output.text);
      if ("problem" in atExit) return fail(atExit.problem, someLines(output.lines));
      const leakedSet = new Set(leakedFds(records));
      const closed = atExit.fds.filter((fd) => !leakedSet.has(fd));
      if (closed.length === 0) return pass;
      return fail(
        `@open_fds still holds ${closed.join(", ")}, which kprobeme closed: delete(@open_fds[fd]) when close(2) closes a descriptor (an entry set to 0 is still printed), and count only the process named kprobeme.`,
        mapLines(output.text),
      );
    },
  },
];

export default exercise({
  id: "kprobeme",
  title: "The kprobeme detective: which file, which descriptors, which leak",
  requires: ["kprobe"],
  tasks: [
    task({ name: "which-file.bt", script: "which-file.bt", output: "text", plan: drawPlan, workloads, launch, checks: whichFile }),
    task({ name: "new-fd.bt", script: "new-fd.bt", output: "text", plan: drawPlan, workloads, launch, checks: newFd }),
    task({ name: "leaked-fds.bt", script: "leaked-fds.bt", output: "text", plan: drawPlan, workloads, launch, checks: leaked }),
  ],
});
