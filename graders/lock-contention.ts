// Lab "Static tracepoints", exercises 1-4: time lock contention with the pair
// tracepoint:lock:contention_begin / contention_end, keep the blocks longer than a threshold
// given as $1 (microseconds) in @long_block_times, a hist() keyed by lock address, print only
// that map at exit, and (extra credit) name each lock's type from args.flags.
//
// The contender workload makes real contention: threads pwrite() the same range of one tmpfs file
// and sleep on the inode's rwsem (flags WRITE). What really happened comes from the contender's
// own lock trace (trace-locks: the kernel's contention_begin/end events in a tracefs instance
// of its own, filtered on its comm), so every check compares the student's hist with the
// blocks the kernel saw, and a run in which no block outlasted $1 is run again, not graded.
// How much contention there is depends on the kernel and the machine (measured with 28-32
// threads x 1.75-2 MiB, 2 pwrites each):
// - VM, kernel 6.12 under TCG (2 vCPUs): 30-60 waits on the file's lock, nearly all over 5 ms,
//   up to 1-4 s.
// - container, host kernel 6.18 (2 fast cores): 14-37 waits over 2 ms in most runs, up to
//   60 ms; now and then the threads ran one after the other and none waited.
// The low threshold, 1-2 ms, stays low enough for the wrong solutions: a hist bucket over 1 ms
// ([1M, 2M), up to 2097152 ns) never lies entirely below it, and durations stored in
// microseconds fall in buckets below $1 * 1000.
import { exercise, fail, pass, task, type Evidence as TaskEvidence, type Records, type Verdict } from "./kit/exercise.ts";
import { histTotal, type HistBucket } from "./kit/bpftrace/aggregates.ts";
import { lastJsonMap, type JsonHistEvent, type JsonMapEntry } from "./kit/bpftrace/json-output.ts";
import { histBucketLabel, histLines, jsonMapPrints, jsonOutputExcerpt } from "./kit/evidence/json-excerpt.ts";
import { plural } from "./kit/evidence/lines.ts";
import { kernelAddress } from "./kit/evidence/kernel-address.ts";
import { formatOf, printsOnce } from "./kit/evidence/printf-formats.ts";
import type { ScriptSource } from "./kit/evidence/script-source.ts";
import { attachesTo, type ScriptProbe } from "./kit/evidence/probes.ts";
import { lockWaitsFigure } from "./kit/figures/lock-waits-figure.ts";
import type { Random } from "./kit/run/random.ts";
import { contender, type ContenderPlan, type ContentionRecord } from "./kit/workloads/contender.ts";
import { recordsOf } from "./kit/workloads/workload.ts";

interface Plan {
  /** $1, in microseconds. */
  thresholdUs: number;
  contender: ContenderPlan;
}

type Entry = JsonMapEntry<HistBucket[]>;

const histName = "@long_block_times";

/** The type names of `perf lock contention` (tools/perf/util/lock-contention.c), by args.flags. */
const lockTypeByFlags = new Map<number, string>([
  [0, "semaphore"],
  [1, "spinlock"],
  [1 | 2, "rwlock:R"],
  [1 | 4, "rwlock:W"],
  [2, "rwsem:R"],
  [4, "rwsem:W"],
  [8, "rt-mutex"],
  [8 | 2, "rwlock-rt:R"],
  [8 | 4, "rwlock-rt:W"],
  [16 | 2, "pcpu-sem:R"],
  [16 | 4, "pcpu-sem:W"],
  [32, "mutex"],
  [32 | 1, "mutex"],
]);
const lockTypes = [...new Set(lockTypeByFlags.values()), "unknown"];
const lockTypeOf = (flags: number) => lockTypeByFlags.get(flags) ?? "unknown";

/**
 * The lock trace has microsecond resolution and another clock read than bpftrace's nsecs: a
 * block this close to the threshold may fairly be counted either way.
 */
const marginNs = 50_000;

function contention(random: Random, thresholdUs: number): Plan {
  return {
    thresholdUs,
    contender: {
      comm: `ctd-${random.word(6)}`,
      file: `/tmp/${random.word(8)}/${random.word(6)}.dat`,
      threads: random.int(28, 32),
      bytes: random.int(28, 32) * 64 * 1024,
      rounds: 2,
      traceLocks: true,
    },
  };
}

const workloads = { contender };
type Evidence = TaskEvidence<Plan, "json", Records<typeof workloads>>;
const launch = (plan: Plan) => ({ contender: plan.contender });

const isKernelAddress = (part: string | undefined) => kernelAddress(part) !== undefined;

function hex(part: string | undefined): string {
  const address = kernelAddress(part);
  return address === undefined ? (part ?? "") : `0x${address.toString(16)}`;
}

/** The blocks of the contender's threads, as the kernel's lock trace saw them. */
function contentions(records: Evidence["records"]): ContentionRecord[] {
  return recordsOf(records.contender, "contention");
}

const ms = (ns: number) => `${(ns / 1e6).toFixed(ns < 10e6 ? 2 : 0)} ms`;

/** What the trace says about the threshold: the blocks clearly over it, and those that may count. */
interface LongBlocks {
  /** The lock the most of them were on: the file's i_rwsem. */
  lock: bigint;
  flags: number;
  /** Blocks on that lock clearly longer than the threshold ... */
  surely: number;
  /** ... and those within the margin of it too. */
  atMost: number;
  /** The same two counts over every lock the contender's threads blocked on. */
  anyLock: { surely: number; atMost: number };
  longestNs: number;
}

/** The value most of the items have (the first such on a tie). */
function mostCommon<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].reduce<[T, number] | undefined>((most, entry) => (most && most[1] >= entry[1] ? most : entry), undefined)?.[0];
}

function longBlocks(records: Evidence["records"], thresholdUs: number): LongBlocks | undefined {
  const thresholdNs = thresholdUs * 1000;
  const all = contentions(records);
  const lock = mostCommon(all.filter((block) => block.duration_ns > thresholdNs + marginNs).map((block) => block.lock));
  if (lock === undefined) return undefined;
  const onLock = all.filter((block) => block.lock === lock);
  const sure = onLock.filter((block) => block.duration_ns > thresholdNs + marginNs);
  return {
    lock: BigInt(lock),
    flags: mostCommon(sure.map((block) => block.flags)) ?? 0,
    surely: sure.length,
    atMost: onLock.filter((block) => block.duration_ns > thresholdNs - marginNs).length,
    anyLock: {
      surely: all.filter((block) => block.duration_ns > thresholdNs + marginNs).length,
      atMost: all.filter((block) => block.duration_ns > thresholdNs - marginNs).length,
    },
    longestNs: Math.max(...sure.map((block) => block.duration_ns)),
  };
}

function describeLongBlocks(blocks: LongBlocks, plan: Plan): string {
  return `the contender's threads blocked ${plural(blocks.surely, "time")} longer than $1 = ${plan.thresholdUs} µs on their file's lock 0x${blocks.lock.toString(16)} (the longest ${ms(blocks.longestNs)}, says the kernel's lock trace)`;
}

const keyIs = (part: string | undefined, lock: bigint) => kernelAddress(part) === lock;

/** A run in which no block outlasted $1 shows nothing about the script: it is run again. */
function noLongBlock({ plan, records }: Pick<Evidence, "plan" | "records">): string | undefined {
  return longBlocks(records, plan.thresholdUs)
    ? undefined
    : `no thread of the contender blocked on a lock longer than $1 = ${plan.thresholdUs} µs, says the kernel's lock trace`;
}

function tracesContention(probes: readonly ScriptProbe[]): boolean {
  return attachesTo(probes, ["tracepoint"], "lock:contention_begin") && attachesTo(probes, ["tracepoint"], "lock:contention_end");
}

type JsonOutput = Evidence["output"];

/** What the script printed from its probes: a header from BEGIN or a summary from END is not output about the waits. */
function eventLines(output: JsonOutput, script: ScriptSource): string[] {
  return output.lines.filter((line) => {
    const format = formatOf(line, script.printfs);
    return !format || !printsOnce(format);
  });
}

function excerptOf(output: JsonOutput): string[] {
  return jsonOutputExcerpt(output.json);
}

function longBlockTimes(output: JsonOutput): JsonHistEvent | undefined {
  return lastJsonMap(output.json.events, "hist", histName);
}

/** Judges @long_block_times' filled entries, or says why there is nothing to judge. */
function withLongBlockTimes(
  { output, plan, records }: Pick<Evidence, "output" | "plan" | "records">,
  judge: (hist: JsonHistEvent, filled: Entry[], blocks: LongBlocks) => Verdict,
  key = "args.lock_addr",
): Verdict {
  const hist = longBlockTimes(output);
  const filled = hist?.entries.filter((entry) => histTotal(entry.value) > 0) ?? [];
  const blocks = longBlocks(records, plan.thresholdUs);
  if (!blocks) return fail("this could not be checked: no block outlasted $1 in this run.");
  if (hist && filled.length > 0) return judge(hist, filled, blocks);
  const notHist = jsonMapPrints(output.json).find((map) => map.name === histName);
  if (notHist) {
    return fail(
      `${histName} is printed as a ${notHist.type === "stats" ? "stats map" : "map of plain values"}, not as a histogram: store every long block with hist(), e.g. ${histName}[${key}] = hist($lock_duration).`,
      excerptOf(output),
    );
  }
  return fail(
    `${histName} was not printed at exit, although ${describeLongBlocks(blocks, plan)}: store every block longer than $1 microseconds with ${histName}[${key}] = hist($lock_duration).`,
    excerptOf(output),
  );
}

/** The student's @long_block_times for the contender's lock beside the waits the kernel recorded on it. */
function lockWaits({ output, plan, records }: Evidence) {
  const blocks = longBlocks(records, plan.thresholdUs);
  if (!blocks) return [];
  const student = longBlockTimes(output)?.entries.find((entry) => entry.keyParts.length === 1 && keyIs(entry.keyParts[0], blocks.lock));
  const kernelWaitsNs = contentions(records)
    .filter((block) => BigInt(block.lock) === blocks.lock && block.duration_ns > plan.thresholdUs * 1000)
    .map((block) => block.duration_ns);
  return [lockWaitsFigure({ lock: `0x${blocks.lock.toString(16)}`, thresholdUs: plan.thresholdUs, student: student?.value ?? [], kernelWaitsNs })];
}

/** $1 of 1-2 ms, which the contender's waits exceed; a run where none did is run again. */
const thresholdTheBlocksExceed = {
  output: "json",
  plan: (random: Random) => contention(random, random.int(1000, 2000)),
  args: (plan: Plan) => [String(plan.thresholdUs)],
  workloads,
  launch,
  inconclusive: noLongBlock,
} as const;

const belowThreshold = task({
  name: "lock-contention.bt with a threshold the contender's blocks exceed",
  script: "lock-contention.bt",
  ...thresholdTheBlocksExceed,
  figures: lockWaits,
  checks: [
    {
      id: "tracepoints",
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
      id: "hist",
      name: "stores the blocks longer than $1 in the hist @long_block_times",
      points: 2,
      verify: (evidence) => withLongBlockTimes(evidence, () => pass),
    },
    {
      id: "keyed-by-lock",
      name: "keys @long_block_times by lock address",
      points: 2,
      verify: (evidence) =>
        withLongBlockTimes(evidence, (hist, filled, blocks) => {
          const wrong = filled.filter((entry) => entry.keyParts.length !== 1 || !isKernelAddress(entry.keyParts[0]));
          if (hist.keyed && wrong.length === 0) {
            if (filled.some((entry) => keyIs(entry.keyParts[0], blocks.lock))) return pass;
            return fail(
              `${describeLongBlocks(blocks, evidence.plan)}, but no key of @long_block_times is that address: index it by the lock's address from contention_end, ${histName}[args.lock_addr].`,
              histLines(hist),
            );
          }
          const example = wrong[0]?.keyParts.map(hex).join(", ");
          const what = !hist.keyed ? "it has no key" : `${plural(wrong.length, "key")} of ${filled.length} ${wrong.length === 1 ? "is" : "are"} not one, e.g. [${example}]`;
          return fail(
            `index @long_block_times by the lock's address alone, ${histName}[args.lock_addr] (a kernel address such as 0x${blocks.lock.toString(16)}), but ${what}.`,
            histLines(hist),
          );
        }),
    },
    {
      id: "long-blocks",
      name: "stores each long block once, in nanoseconds, over $1 microseconds",
      points: 2,
      verify: (evidence) =>
        withLongBlockTimes(evidence, (hist, filled, blocks) => {
          const thresholdNs = evidence.plan.thresholdUs * 1000;
          const below = filled.flatMap((entry) => entry.value.filter((bucket) => bucket.count > 0 && bucket.high !== null && bucket.high <= thresholdNs));
          if (below[0]) {
            return fail(
              `with $1 = ${evidence.plan.thresholdUs} µs only blocks longer than ${thresholdNs} ns belong in @long_block_times, but ${plural(histTotal(below), "block")} fell in buckets below that, e.g. ${histBucketLabel(below[0])}: store the duration in nanoseconds (nsecs - start) and compare it with $1 * 1000.`,
              histLines(hist),
            );
          }
          // Keyed by the lock (as asked), its entry counts that lock's waits; keyed otherwise (which
          // keyed-by-lock judges), every entry together counts the waits on every lock, give or take
          // another process's rare long wait.
          const entry = filled.find((candidate) => candidate.keyParts.length === 1 && keyIs(candidate.keyParts[0], blocks.lock));
          const counted = histTotal((entry ? [entry] : filled).flatMap((each) => each.value));
          const [fewest, most] = entry ? [blocks.surely, blocks.atMost] : [blocks.anyLock.surely, blocks.anyLock.atMost + Math.max(2, Math.ceil(blocks.anyLock.atMost / 10))];
          if (counted >= fewest && counted <= most) return pass;
          const lock = entry ? `@long_block_times[0x${blocks.lock.toString(16)}]` : "@long_block_times, all its entries together,";
          return fail(
            counted > most
              ? `${lock} counts ${plural(counted, "block")}, but ${describeLongBlocks(blocks, evidence.plan)}: store one value per contention, in contention_end, and only when it lasted longer than $1.`
              : `${lock} counts ${plural(counted, "block")}, but ${describeLongBlocks(blocks, evidence.plan)}: time every contention, keying the start times by thread and lock (tid, args.lock_addr) so that threads waiting on the same lock do not overwrite each other's start.`,
            histLines(hist),
          );
        }),
    },
    {
      id: "prints-only-hist",
      name: "prints only @long_block_times, not the map of start times",
      points: 1,
      verify: (evidence) =>
        withLongBlockTimes(evidence, () => {
          const { output } = evidence;
          const others = jsonMapPrints(output.json).filter((map) => map.name !== histName);
          const printed = eventLines(output, evidence.script);
          if (others.length === 0 && printed.length === 0) return pass;
          const what = [
            ...(others.length > 0 ? [`the map${others.length === 1 ? "" : "s"} ${[...new Set(others.map((map) => map.name))].join(", ")}`] : []),
            ...(printed.length > 0 ? [plural(printed.length, "line printed from a probe")] : []),
          ].join(" and ");
          return fail(
            `besides ${histName} the output has ${what}: clear the map of start times in the END probe (clear(@)) so that bpftrace does not print it at exit, and print nothing else.`,
            excerptOf(output),
          );
        }),
    },
  ],
});

const aboveEveryBlock = task({
  name: "lock-contention.bt with a threshold above every block",
  script: "lock-contention.bt",
  output: "json",
  plan: (random): Plan => contention(random, random.int(60, 120) * 1_000_000),
  args: (plan) => [String(plan.thresholdUs)],
  workloads,
  launch,
  inconclusive: ({ plan, records }) => {
    const longest = Math.max(0, ...contentions(records).map((block) => block.duration_ns));
    return longest > plan.thresholdUs * 1000 - marginNs ? `a thread of the contender blocked for ${ms(longest)}, longer than $1 = ${plan.thresholdUs} µs` : undefined;
  },
  checks: [
    {
      id: "threshold-from-arg",
      name: "takes the threshold from $1: nothing is stored when no block is that long",
      points: 2,
      verify: ({ output, plan, probes, records, script }) => {
        if (!tracesContention(probes)) {
          return fail("this could not be checked: the script does not attach to both tracepoint:lock:contention_begin and contention_end.");
        }
        if (!script.maps.keyed.has(histName) && !script.maps.unkeyed.has(histName)) {
          return fail(`this could not be checked: the script never stores anything in ${histName}, so that nothing is stored says nothing about its threshold.`);
        }
        const stored = longBlockTimes(output)?.entries.reduce((sum, entry) => sum + histTotal(entry.value), 0) ?? 0;
        const printed = eventLines(output, script);
        if (stored === 0 && printed.length === 0) return pass;
        const what = stored > 0 ? `${histName} holds ${plural(stored, "block")}` : `the script printed ${plural(printed.length, "line")} from its probes`;
        return fail(
          `with $1 = ${plan.thresholdUs} µs (${plan.thresholdUs / 1_000_000} s), longer than any of the contender's blocks (the longest ${ms(Math.max(0, ...contentions(records).map((block) => block.duration_ns)))}), nothing should be stored or printed, but ${what}: compare each duration with $1 * 1000 instead of a fixed number.`,
          excerptOf(output),
        );
      },
    },
  ],
});

const lockTypesTask = task({
  name: "lock-types.bt (extra credit)",
  script: "lock-types.bt",
  ...thresholdTheBlocksExceed,
  checks: [
    {
      id: "type-key",
      name: "extra credit: keys @long_block_times by lock type and lock address",
      points: 1,
      verify: (evidence) =>
        withLongBlockTimes(evidence, (hist, filled) => {
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
      id: "lock-type",
      name: "extra credit: names the contender's lock rwsem:W (flags WRITE)",
      points: 2,
      verify: (evidence) =>
        withLongBlockTimes(evidence, (hist, filled, blocks) => {
          const expected = lockTypeOf(blocks.flags);
          const entry = filled.find((candidate) => keyIs(candidate.keyParts[1], blocks.lock));
          if (entry?.keyParts[0] === expected) return pass;
          const found = entry ? `typed "${entry.keyParts[0]}"` : "not in @long_block_times under its address";
          return fail(
            `the contender's threads block on the file's i_rwsem 0x${blocks.lock.toString(16)} (args.flags = ${blocks.flags}), which is "${expected}", but that lock was ${found}: decode args.flags with the bits of include/trace/events/lock.h, SPIN=1<<0, READ=1<<1, WRITE=1<<2, RT=1<<3, PERCPU=1<<4, MUTEX=1<<5, and the table in README.md.`,
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
