// The lab VM's size: fitted to the limits of the container bpflab runs in, or set, and refused
// with a sentence that says what to change when it cannot fit. The cgroup files' formats are the
// kernel's (Documentation/admin-guide/cgroup-v2.rst, cgroup-v1/memory.rst); the platform tests
// read real containers' limits (test/package/platforms.vm.test.ts).
import { totalmem } from "node:os";
import { describe, expect, test } from "vitest";
import { parseCpuMax, parseMemoryMax, parseV1CpuQuota, parseV1MemoryLimit, resourceLimits } from "../../graders/kit/host/cgroup-limits.ts";
import { chooseVmSize, containerMemoryNeededMb, defaultVmSize, hostReserveMb, minimumVmMemoryMb } from "../../graders/kit/machine/vm/vm-shape.ts";

const MiB = 1024 * 1024;

describe("cgroup limits", () => {
  test("v2: memory.max and cpu.max, with 'max' for no limit", () => {
    expect(parseMemoryMax("max")).toBeUndefined();
    expect(parseMemoryMax("805306368")).toBe(768 * MiB);
    expect(parseCpuMax("max 100000")).toBeUndefined();
    expect(parseCpuMax("90000 100000")).toBeCloseTo(0.9);
    expect(parseCpuMax("200000 100000")).toBe(2);
  });

  test("v1: memory.limit_in_bytes near 2^63 and a quota of -1 mean no limit", () => {
    expect(parseV1MemoryLimit("9223372036854771712")).toBeUndefined();
    expect(parseV1MemoryLimit("2147483648")).toBe(2048 * MiB);
    expect(parseV1CpuQuota("-1", "100000")).toBeUndefined();
    expect(parseV1CpuQuota("50000", "100000")).toBe(0.5);
  });

  test("this process's limits are within the machine's", () => {
    const limits = resourceLimits();
    expect(limits.memoryBytes).toBeGreaterThan(0);
    expect(limits.memoryBytes).toBeLessThanOrEqual(totalmem());
    expect(limits.cpus).toBeGreaterThan(0);
  });
});

describe("the VM's size", () => {
  const roomy = { memoryBytes: 16 * 1024 * MiB, cpus: 8 };

  test("is 2 CPUs and 1536 MB where there is room", () => {
    expect(chooseVmSize(roomy, {})).toMatchObject({ size: defaultVmSize });
  });

  test("is fitted to a container's memory and CPUs, leaving room for qemu and bpflab", () => {
    // PrairieLearn's grading containers: 2 GiB, 0.9 CPU (graderDockerMemory, graderDockerCpuQuota).
    const choice = chooseVmSize({ memoryBytes: 2048 * MiB, cpus: 0.9 }, {});
    expect(choice).toMatchObject({ size: { cpus: 1, memoryMb: 1536 } });
    const smaller = chooseVmSize({ memoryBytes: 1536 * MiB, cpus: 1 }, {});
    expect(smaller).toMatchObject({ size: { cpus: 1, memoryMb: 1536 - hostReserveMb } });
  });

  test("is refused with what to change when the container is too small", () => {
    const choice = chooseVmSize({ memoryBytes: 768 * MiB, cpus: 0.5 }, {});
    expect(choice).toEqual({ refused: expect.stringContaining("may use 768 MB of memory") });
    expect("refused" in choice && choice.refused).toContain(`${minimumVmMemoryMb + hostReserveMb} MB in all`);
  });

  test("follows BPFLAB_VM_CPUS and BPFLAB_VM_MEMORY_MB when they fit", () => {
    expect(chooseVmSize(roomy, { BPFLAB_VM_CPUS: "1", BPFLAB_VM_MEMORY_MB: "1024" })).toMatchObject({ size: { cpus: 1, memoryMb: 1024 } });
    const tooBig = chooseVmSize({ memoryBytes: 1536 * MiB, cpus: 2 }, { BPFLAB_VM_MEMORY_MB: "1536" });
    expect(tooBig).toEqual({ refused: expect.stringContaining(`set BPFLAB_VM_MEMORY_MB to ${1536 - hostReserveMb} or less`) });
    expect(chooseVmSize(roomy, { BPFLAB_VM_MEMORY_MB: "256" })).toEqual({ refused: expect.stringContaining("BPFLAB_VM_MEMORY_MB is 256") });
    expect(chooseVmSize(roomy, { BPFLAB_VM_CPUS: "two" })).toEqual({ refused: "BPFLAB_VM_CPUS=two is not a positive whole number" });
  });

  test("a container needs the VM's memory and the reserve", () => {
    expect(containerMemoryNeededMb(defaultVmSize)).toBe(1536 + hostReserveMb);
  });
});
