// --backend auto for the user's own scripts (npm test, run, shell): vm, then container, then
// host; the first usable one that satisfies the exercise grades it, and when none does the
// exercise is not gradable with every reason. Others' submissions never fall back: see
// class-isolation.test.ts.
import { describe, expect, it } from "vitest";
import type { Backend } from "../../graders/kit/machine/lab-provider.ts";
import { ownScript } from "../../graders/kit/machine/isolation.ts";
import { LabProvider } from "../../graders/kit/machine/lab-provider.ts";
import { backendsFor } from "../../graders/kit/session.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";
import { dockerMissing } from "./docker-available.ts";

/** A VM that cannot start here, as on a host without qemu. */
const vmThatCannotStart: Backend = {
  name: "vm",
  kernel: "own",
  unsupported: async () => undefined,
  boot: async () => {
    throw new Error("qemu-system-x86_64 is not installed");
  },
};

describe("--backend auto", () => {
  it("tries vm, then container, then host", () => {
    expect(backendsFor("auto").map((backend) => backend.name)).toEqual(["vm", "container", "host"]);
    expect(backendsFor("container").map((backend) => backend.name)).toEqual(["container"]);
  });

  it.skipIf(dockerMissing !== undefined)("falls back to the container for the user's own tracepoint exercise when the vm cannot start", async () => {
    const [, container, host] = backendsFor("auto");
    const provider = new LabProvider([vmThatCannotStart, container!, host!], silentProgress, ownScript);
    try {
      const offer = await provider.acquire(["tracepoint:lock:contention_begin", "tracepoint:lock:contention_end"]);
      expect(offer.kind === "ready" && offer.machine.info.backend).toBe("container");
      expect(offer.kind === "ready" && offer.isolation).toEqual({ kernel: "host", trust: "own-script" });
      const fentry = await provider.acquire(["fentry"]);
      expect(fentry).toEqual({
        kind: "unavailable",
        reason:
          "vm: could not start: qemu-system-x86_64 is not installed; container: this kernel has no fentry support; run with --backend vm; " +
          `host: ${(await host!.unsupported([])) ?? "usable"}`,
      });
    } finally {
      await provider.close();
    }
  });
});
