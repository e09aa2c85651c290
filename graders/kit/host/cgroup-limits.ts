// The memory and CPU this process may use, as its control groups set them: a grading platform's
// container (Gradescope, PrairieLearn, a CI job) is usually far smaller than the machine it runs
// on, and a VM sized for the machine would be killed by the kernel's OOM killer mid-grade.
// cgroup v2 (memory.max, cpu.max) and v1 (memory.limit_in_bytes, cpu.cfs_quota_us) are both read,
// at this process's own cgroup and every ancestor visible here: the tightest limit wins.
import { existsSync, readFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { dirname, join } from "node:path";

export interface ResourceLimits {
  /** Bytes of memory the process's cgroup may hold, physical memory when no cgroup limits it. */
  memoryBytes: number;
  /** CPUs' worth of time per period (may be fractional, e.g. 0.9), the usable cores when unlimited. */
  cpus: number;
}

const cgroupRoot = "/sys/fs/cgroup";
/** cgroup v1 writes "no limit" as the largest page-aligned signed 64-bit number. */
const v1Unlimited = 2 ** 62;

function readNumberFile(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** `memory.max` (v2): "max" or bytes. */
export function parseMemoryMax(text: string): number | undefined {
  if (text === "max") return undefined;
  const bytes = Number(text);
  return Number.isFinite(bytes) && bytes > 0 ? bytes : undefined;
}

/** `cpu.max` (v2): "<quota> <period>" in microseconds, quota "max" when unlimited. */
export function parseCpuMax(text: string): number | undefined {
  const [quota, period] = text.split(/\s+/);
  if (quota === undefined || quota === "max") return undefined;
  const cpus = Number(quota) / Number(period ?? "100000");
  return Number.isFinite(cpus) && cpus > 0 ? cpus : undefined;
}

/** `memory.limit_in_bytes` (v1): bytes, a huge number when unlimited. */
export function parseV1MemoryLimit(text: string): number | undefined {
  const bytes = Number(text);
  return Number.isFinite(bytes) && bytes > 0 && bytes < v1Unlimited ? bytes : undefined;
}

/** `cpu.cfs_quota_us` and `cpu.cfs_period_us` (v1): quota -1 when unlimited. */
export function parseV1CpuQuota(quota: string, period: string): number | undefined {
  const cpus = Number(quota) / Number(period);
  return Number.isFinite(cpus) && cpus > 0 ? cpus : undefined;
}

/** This process's cgroup paths from /proc/self/cgroup: v2's unified one ("") and v1's by controller. */
function ownCgroups(): Map<string, string> {
  const paths = new Map<string, string>();
  const text = readNumberFile("/proc/self/cgroup") ?? "";
  for (const line of text.split("\n")) {
    const [, controllers, path] = line.match(/^\d+:([^:]*):(.*)$/) ?? [];
    if (controllers === undefined || path === undefined) continue;
    for (const controller of controllers.split(",")) paths.set(controller, path);
  }
  return paths;
}

/**
 * The folders whose limits apply to this process under `mount`: its own cgroup and each ancestor
 * up to the mount. In a container the cgroup's path (/docker/<id>) may not exist under the
 * container's own mount, whose root then is the container's cgroup.
 */
function cgroupFolders(mount: string, path: string | undefined): string[] {
  const folders = new Set<string>([mount]);
  for (let dir = join(mount, path ?? "/"); dir.startsWith(mount) && dir !== mount; dir = dirname(dir)) {
    if (existsSync(dir)) folders.add(dir);
  }
  return [...folders];
}

function tightest(values: Array<number | undefined>): number | undefined {
  const limits = values.filter((value): value is number => value !== undefined);
  return limits.length === 0 ? undefined : Math.min(...limits);
}

function v2Limits(path: string): Partial<ResourceLimits> {
  const folders = cgroupFolders(cgroupRoot, path);
  const memory = tightest(folders.map((dir) => readNumberFile(join(dir, "memory.max"))).map((text) => (text === undefined ? undefined : parseMemoryMax(text))));
  const cpus = tightest(folders.map((dir) => readNumberFile(join(dir, "cpu.max"))).map((text) => (text === undefined ? undefined : parseCpuMax(text))));
  return { ...(memory === undefined ? {} : { memoryBytes: memory }), ...(cpus === undefined ? {} : { cpus }) };
}

function v1Limits(cgroups: Map<string, string>): Partial<ResourceLimits> {
  const memoryFolders = cgroupFolders(join(cgroupRoot, "memory"), cgroups.get("memory"));
  const memory = tightest(memoryFolders.map((dir) => readNumberFile(join(dir, "memory.limit_in_bytes"))).map((text) => (text === undefined ? undefined : parseV1MemoryLimit(text))));
  const cpuMount = [join(cgroupRoot, "cpu"), join(cgroupRoot, "cpu,cpuacct")].find((dir) => existsSync(dir));
  const cpus = cpuMount
    ? tightest(
        cgroupFolders(cpuMount, cgroups.get("cpu")).map((dir) => {
          const quota = readNumberFile(join(dir, "cpu.cfs_quota_us"));
          const period = readNumberFile(join(dir, "cpu.cfs_period_us"));
          return quota === undefined || period === undefined ? undefined : parseV1CpuQuota(quota, period);
        }),
      )
    : undefined;
  return { ...(memory === undefined ? {} : { memoryBytes: memory }), ...(cpus === undefined ? {} : { cpus }) };
}

/** What this process may use: the tightest of its cgroups' limits, the machine's cores and memory. */
export function resourceLimits(): ResourceLimits {
  const cgroups = ownCgroups();
  const unified = cgroups.get("");
  const limits = existsSync(join(cgroupRoot, "cgroup.controllers")) && unified !== undefined ? v2Limits(unified) : v1Limits(cgroups);
  return {
    memoryBytes: Math.min(limits.memoryBytes ?? Infinity, totalmem()),
    cpus: Math.min(limits.cpus ?? Infinity, availableParallelism()),
  };
}
