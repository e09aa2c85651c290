// Others' submissions run only in a kernel of their own: a provider under the untrusted policy
// never tries a backend on the host's kernel, even one that is usable, so when the lab VM
// cannot run the exercise is not gradable with the VM's reason. No machine starts here: the
// backends' availability is faked (a VM that cannot start, a container and a host that would
// start), never a kernel.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadExercise } from "../../graders/kit/catalog.ts";
import { gradeExercise } from "../../graders/kit/grade/grade-exercise.ts";
import { trustedSubmissions, untrustedSubmissions } from "../../graders/kit/machine/isolation.ts";
import type { Backend } from "../../graders/kit/machine/lab-provider.ts";
import { LabProvider } from "../../graders/kit/machine/lab-provider.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";

const solutions = fileURLToPath(new URL("../../solutions", import.meta.url));

/** Backends that say they can grade anything; booting one is recorded, then refused. */
function backendsOnThisHost() {
  const booted: string[] = [];
  const usable = (name: string, kernel: Backend["kernel"]): Backend => ({
    name,
    kernel,
    unsupported: async () => undefined,
    boot: async () => {
      booted.push(name);
      throw new Error(`${name} started`);
    },
  });
  const vmThatCannotStart: Backend = {
    name: "vm",
    kernel: "own",
    unsupported: async () => undefined,
    boot: async () => {
      booted.push("vm");
      throw new Error("qemu-system-x86_64 is not installed");
    },
  };
  return { booted, auto: [vmThatCannotStart, usable("container", "host"), usable("host", "host")] };
}

describe("class grading when the lab VM cannot run", () => {
  it("reports the VM's reason and never starts a backend on the host's kernel", async () => {
    const { booted, auto } = backendsOnThisHost();
    const provider = new LabProvider(auto, silentProgress, untrustedSubmissions);
    expect(await provider.acquire([])).toEqual({ kind: "unavailable", reason: "vm: could not start: qemu-system-x86_64 is not installed" });
    expect(booted).toEqual(["vm", "vm"]);
  });

  it("makes the exercise not gradable with that reason, never a zero", async () => {
    const { booted, auto } = backendsOnThisHost();
    const provider = new LabProvider(auto, silentProgress, untrustedSubmissions);
    const result = await gradeExercise(await loadExercise("lock-contention"), solutions, provider, { seed: 1 });
    expect(result).toMatchObject({ gradable: false, reason: "vm: could not start: qemu-system-x86_64 is not installed", score: 0 });
    expect(result.checks.every((check) => check.message.startsWith("not gradable: vm: could not start"))).toBe(true);
    expect(booted.filter((name) => name !== "vm")).toEqual([]);
  });

  it("refuses a list with no kernel of its own, saying why", async () => {
    const { booted, auto } = backendsOnThisHost();
    const provider = new LabProvider(auto.slice(1), silentProgress, untrustedSubmissions);
    expect(await provider.acquire([])).toEqual({
      kind: "unavailable",
      reason: "container and host would run the script on the host's kernel, and submissions run only in a kernel of their own",
    });
    expect(booted).toEqual([]);
  });

  it("tries the host's kernel once the instructor trusts the submissions", async () => {
    const { booted, auto } = backendsOnThisHost();
    const provider = new LabProvider(auto, silentProgress, trustedSubmissions);
    const offer = await provider.acquire([]);
    expect(offer.kind).toBe("unavailable");
    expect(booted).toEqual(["vm", "vm", "container", "container", "host", "host"]);
  });
});
