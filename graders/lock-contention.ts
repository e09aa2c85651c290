// Lab "Static tracepoints", exercises 1-4: time lock contention with the pair
// tracepoint:lock:contention_begin / contention_end, keep the blocks longer than a threshold
// given as $1 (microseconds) in @long_block_times, a hist() keyed by lock address, print only
// that map at exit, and (extra credit) name each lock's type from args.flags.
//
// The contender workload makes real contention: threads pwrite() the same range of one tmpfs file
// and sleep on the inode's rwsem (flags WRITE). A waiter that finds the owner running spins
// (rwsem optimistic spinning, which fires no tracepoint); it sleeps, and fires contention_begin,
// when the owner is off-CPU or its own time slice ends. So the plan needs many more threads than
// CPUs and enough work per thread that owners get descheduled mid-copy.
// Measured with 28 x 1.5 MiB, 24 x 2 MiB and 32 x 2 MiB, 2 pwrites each (rwsem:W waits per
// run, both backends under load from other VMs):
// - VM, kernel 6.12 under TCG (2 vCPUs): workload 1.4-2.8 s (5.3 s with two busy loops on the
//   host); 38-57 waits, nearly all over 5 ms, up to 1-4 s; 3-15 of them under 512 ms.
// - container, host kernel 6.18 (2 fast cores): workload 10-60 ms; 14-37 waits over 2 ms in 29
//   runs, up to 60 ms, bar one run of 28 x 1.5 MiB with two busy loops on the host (3 waits
//   under 1 ms). Smaller plans were not reliable there: 32 x 1 MiB x 2-3 and 28 x 896 KiB x 2
//   sometimes gave no wait at all (the threads ran one after the other), and the former plan
//   (5-6 threads x 512-768 KiB x 5-6) gave 0-5.
// The low threshold, 1-2 ms, keeps clear of the host's short waits, and stays low enough for
// the wrong solutions: a hist bucket over 1 ms ([1M, 2M), up to 2097152 ns) never lies entirely
// below it, and durations stored in microseconds (waits under 0.5-1 s on the VM) fall in buckets
// below $1 * 1000.
import { exercise, fail, pass, task, type Verdict } from "./kit/exercise.ts";
import { histTotal, type HistBucket } from "./kit/bpftrace/aggregates.ts";
import { lastJsonMap, type JsonHistEvent, type JsonMapEntry } from "./kit/bpftrace/json-output.ts";
import { histBucketLabel, histLines, jsonMapPrints, jsonOutputExcerpt } from "./kit/evidence/json-excerpt.ts";
import { plural, someLines } from "./kit/evidence/lines.ts";
import type { BpftraceOutput } from "./kit/evidence/output.ts";
import { attachesTo, type ScriptProbe } from "./kit/evidence/probes.ts";
import type { Random } from "./kit/run/random.ts";
import { contenderPlan, type ContenderPlan } from "../fixtures/workloads/plans.ts";
import { parseRecords, recordsOf } from "../fixtures/workloads/records.ts";

interface Plan {
  /** $1, in microseconds. */
  thresholdUs: number;
  contender: ContenderPlan;
}

type Entry = JsonMapEntry<HistBucket[]>;

const histName = "@long_block_times";

/** The type names of `perf lock contention` (tools/perf/util/lock-contention.c), by args.flags. */
const lockTypes = [
  "semaphore",
  "spinlock",
  "rwlock:R",
  "rwlock:W",
  "rwsem:R",
  "rwsem:W",
  "rt-mutex",
  "rwlock-rt:R",
  "rwlock-rt:W",
  "pcpu-sem:R",
  "pcpu-sem:W",
  "mutex",
  "unknown",
];

function contention(random: Random, thresholdUs: number): Plan {
  return {
    thresholdUs,
    contender: {
      comm: `ctd-${random.word(6)}`,
      file: `/tmp/${random.word(8)}/${random.word(6)}.dat`,
      threads: random.int(28, 32),
      bytes: random.int(28, 32) * 64 * 1024,
      rounds: 2,
    },
  };
}

const contenderRuns = (plan: Plan) => [{ program: "contender", plan: contenderPlan(plan.contender) }];

/** Lock addresses are kernel addresses (slab, direct map): the top byte is 0xff. */
function isKernelAddress(part: string | undefined): boolean {
  return part !== undefined && /^\d+$/.test(part) && BigInt(part) >= 0xff00_0000_0000_0000n;
}

function hex(part: string | undefined): string {
  return isKernelAddress(part) ? `0x${BigInt(part ?? 0).toString(16)}` : (part ?? "");
}

/** Each pwrite() blocks on the file's lock at most once. */
function pwrites(records: Record<string, string>): number {
  return recordsOf(parseRecords(records.contender ?? "", "contender"), "thread").reduce((sum, thread) => sum + thread.writes, 0);
}

function tracesContention(probes: readonly ScriptProbe[]): boolean {
  return attachesTo(probes, ["tracepoint"], "lock:contention_begin") && attachesTo(probes, ["tracepoint"], "lock:contention_end");
}

function excerptOf(output: BpftraceOutput): string[] {
  return output.format === "json" ? jsonOutputExcerpt(output.json) : someLines(output.lines);
}

function longBlockTimes(output: BpftraceOutput): JsonHistEvent | undefined {
  return output.format === "json" ? lastJsonMap(output.json.events, "hist", histName) : undefined;
}

function busiest(entries: readonly Entry[]): Entry | undefined {
  return entries.reduce<Entry | undefined>((most, entry) => (most && histTotal(most.value) >= histTotal(entry.value) ? most : entry), undefined);
}

/** Judges @long_block_times' filled entries, or says why there is nothing to judge. */
function withLongBlockTimes(output: BpftraceOutput, plan: Plan, judge: (hist: JsonHistEvent, filled: Entry[]) => Verdict, key = "args.lock_addr"): Verdict {
  const hist = longBlockTimes(output);
  const filled = hist?.entries.filter((entry) => histTotal(entry.value) > 0) ?? [];
  if (hist && filled.length > 0) return judge(hist, filled);
  const notHist = output.format === "json" ? jsonMapPrints(output.json).find((map) => map.name === histName) : undefined;
  if (notHist) {
    return fail(
      `${histName} is printed as a ${notHist.type === "stats" ? "stats map" : "map of plain values"}, not as a histogram: store every long block with hist(), e.g. ${histName}[${key}] = hist($lock_duration).`,
      excerptOf(output),
    );
  }
  return fail(
    `${histName} was not printed at exit, although the contender's threads blocked on their file's lock longer than the threshold ($1 = ${plan.thresholdUs} µs): store every block longer than $1 microseconds with ${histName}[${key}] = hist($lock_duration).`,
    excerptOf(output),
  );
}

const belowThreshold = task<Plan>({
  name: "lock-contention.bt with a threshold the contender's blocks exceed",
  script: "lock-contention.bt",
  output: "json",
  plan: (random) => contention(random, random.int(1000, 2000)),
  args: (plan) => [String(plan.thresholdUs)],
  workloads: contenderRuns,
  checks: [
    {
      name: "attaches to tracepoint:lock:contention_begin and contention_end",
      points: 1,
      verify: ({ probes }) =>
        tracesContention(probes)
          ? pass
          : fail(
              `the script attaches to ${probes.map((probe) => probe.spec).join(", ") || "no probe"}; time each contention from tracepoint:lock:contention_begin to tracepoint:lock:contention_end.`,
            ),
    },
    {
      name: "stores the blocks longer than $1 in the hist @long_block_times",
      points: 2,
      verify: ({ output, plan }) => withLongBlockTimes(output, plan, () => pass),
    },
    {
      name: "keys @long_block_times by lock address",
      points: 2,
      verify: ({ output, plan }) =>
        withLongBlockTimes(output, plan, (hist, filled) => {
          const wrong = filled.filter((entry) => entry.keyParts.length !== 1 || !isKernelAddress(entry.keyParts[0]));
          if (hist.keyed && wrong.length === 0) return pass;
          const example = wrong[0]?.keyParts.map(hex).join(", ");
          const what = !hist.keyed ? "it has no key" : `${plural(wrong.length, "key")} of ${filled.length} ${wrong.length === 1 ? "is" : "are"} not one, e.g. [${example}]`;
          return fail(
            `index @long_block_times by the lock's address alone, ${histName}[args.lock_addr] (a kernel address such as 0xff4011...), but ${what}.`,
            histLines(hist),
          );
        }),
    },
    {
      name: "stores each long block once, in nanoseconds, over $1 microseconds",
      points: 2,
      verify: ({ output, plan, records }) =>
        withLongBlockTimes(output, plan, (hist, filled) => {
          const thresholdNs = plan.thresholdUs * 1000;
          const below = filled.flatMap((entry) => entry.value.filter((bucket) => bucket.count > 0 && bucket.high !== null && bucket.high <= thresholdNs));
          if (below[0]) {
            return fail(
              `with $1 = ${plan.thresholdUs} µs only blocks longer than ${thresholdNs} ns belong in @long_block_times, but ${plural(histTotal(below), "block")} fell in buckets below that, e.g. ${histBucketLabel(below[0])}: store the duration in nanoseconds (nsecs - start) and compare it with $1 * 1000.`,
              histLines(hist),
            );
          }
          const lock = busiest(filled);
          const calls = pwrites(records);
          if (lock && histTotal(lock.value) > calls) {
            return fail(
              `@long_block_times[${lock.keyParts.map(hex).join(", ")}] counts ${histTotal(lock.value)} blocks, but the contender made only ${calls} pwrite() calls, each of which blocks on its file's lock at most once: store one value per contention, in contention_end.`,
              histLines(hist),
            );
          }
          return pass;
        }),
    },
    {
      name: "prints only @long_block_times, not the map of start times",
      points: 1,
      verify: ({ output, plan }) =>
        withLongBlockTimes(output, plan, () => {
          const others = output.format === "json" ? jsonMapPrints(output.json).filter((map) => map.name !== histName) : [];
          if (others.length === 0 && output.lines.length === 0) return pass;
          const what = [
            ...(others.length > 0 ? [`the map${others.length === 1 ? "" : "s"} ${[...new Set(others.map((map) => map.name))].join(", ")}`] : []),
            ...(output.lines.length > 0 ? [plural(output.lines.length, "printf line")] : []),
          ].join(" and ");
          return fail(
            `besides ${histName} the output has ${what}: clear the map of start times in the END probe (clear(@)) so that bpftrace does not print it at exit, and print nothing else.`,
            excerptOf(output),
          );
        }),
    },
  ],
});

const aboveEveryBlock = task<Plan>({
  name: "lock-contention.bt with a threshold above every block",
  script: "lock-contention.bt",
  output: "json",
  plan: (random) => contention(random, random.int(60, 120) * 1_000_000),
  args: (plan) => [String(plan.thresholdUs)],
  workloads: contenderRuns,
  checks: [
    {
      name: "takes the threshold from $1: nothing is stored when no block is that long",
      points: 2,
      verify: ({ output, plan, probes }) => {
        if (!tracesContention(probes)) {
          return fail("this could not be checked: the script does not attach to both tracepoint:lock:contention_begin and contention_end.");
        }
        const stored = longBlockTimes(output)?.entries.reduce((sum, entry) => sum + histTotal(entry.value), 0) ?? 0;
        if (stored === 0 && output.lines.length === 0) return pass;
        const what = stored > 0 ? `${histName} holds ${plural(stored, "block")}` : `the script printed ${plural(output.lines.length, "line")}`;
        return fail(
          `with $1 = ${plan.thresholdUs} µs (${plan.thresholdUs / 1_000_000} s), longer than any of the contender's blocks (a few seconds at most), nothing should be stored or printed, but ${what}: compare each duration with $1 * 1000 instead of a fixed number.`,
          excerptOf(output),
        );
      },
    },
  ],
});

const lockTypesTask = task<Plan>({
  name: "lock-types.bt (extra credit)",
  script: "lock-types.bt",
  output: "json",
  plan: (random) => contention(random, random.int(1000, 2000)),
  args: (plan) => [String(plan.thresholdUs)],
  workloads: contenderRuns,
  checks: [
    {
      name: "extra credit: keys @long_block_times by lock type and lock address",
      points: 1,
      verify: ({ output, plan }) =>
        withLongBlockTimes(output, plan, (hist, filled) => {
          const wrong = filled.filter(
            (entry) => entry.keyParts.length !== 2 || !lockTypes.includes(entry.keyParts[0] ?? "") || !isKernelAddress(entry.keyParts[1]),
          );
          if (wrong.length === 0) return pass;
          return fail(
            `index @long_block_times by [type, args.lock_addr], the type being one of ${lockTypes.join(", ")}; but ${plural(wrong.length, "key")} of ${filled.length} did not read so, e.g. [${wrong[0]?.keyParts.map(hex).join(", ")}].`,
            histLines(hist),
          );
        }, "$type, args.lock_addr"),
    },
    {
      name: "extra credit: names the contender's lock rwsem:W (flags WRITE)",
      points: 2,
      verify: ({ output, plan }) =>
        withLongBlockTimes(output, plan, (hist, filled) => {
          const lock = busiest(filled);
          if (lock?.keyParts[0] === "rwsem:W") return pass;
          return fail(
            `the contender's threads block on the file's i_rwsem for writing (args.flags = 4, WRITE alone), which is "rwsem:W", but the lock with the most long blocks was typed "${lock?.keyParts[0]}": decode args.flags with the bits of include/trace/events/lock.h, SPIN=1<<0, READ=1<<1, WRITE=1<<2, RT=1<<3, PERCPU=1<<4, MUTEX=1<<5, and the table in README.md.`,
            histLines(hist),
          );
        }, "$type, args.lock_addr"),
    },
  ],
});

export default exercise({
  id: "lock-contention",
  title: "Long lock contentions by lock address (tracepoint:lock:contention_begin/end)",
  requires: ["tracepoint:lock:contention_begin", "tracepoint:lock:contention_end"],
  tasks: [belowThreshold, aboveEveryBlock, lockTypesTask],
  review: [{ file: "answers.md", question: "What would be the problem with just using the lock address as the key of the map of start times?" }],
});
