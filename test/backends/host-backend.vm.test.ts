// The host backend: usable only on a host that is itself a lab machine; its agent and
// workloads are compiled for this host either way.
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { hostBackend, startHostMachine } from "../../graders/kit/machine/host/host-backend.ts";
import { checkHostReadiness } from "../../graders/kit/machine/host/host-readiness.ts";
import { unlinker } from "../../graders/kit/workloads/unlinker.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";

const bpftraceInstalled = (await execa("sh", ["-c", "command -v bpftrace"], { reject: false })).exitCode === 0;

describe("host backend", () => {
  // Asserts on either kind of host: without bpftrace the backend must say so and be unusable;
  // with it, readiness must find it and name only real gaps (root, BTF, version).
  it(`says whether bpftrace is installed here (it is${bpftraceInstalled ? "" : " not"}), and is unusable without it`, async () => {
    const readiness = await checkHostReadiness();
    if (!bpftraceInstalled) {
      expect(readiness.problems).toContain("bpftrace is not installed on this host");
      expect(await hostBackend().unsupported([])).toBe("bpftrace is not installed on this host");
      const diagnosis = await hostBackend().diagnose(silentProgress, []);
      expect(diagnosis).toMatchObject({ usable: false, reason: "bpftrace is not installed on this host" });
      return;
    }
    expect(readiness.bpftrace).toBeTruthy();
    expect(readiness.problems).not.toContain("bpftrace is not installed on this host");
    expect(readiness.problems.length).toBe(readiness.hints.length);
  });

  it("runs the workloads through the local agent, by name, as in the image", async () => {
    const machine = await startHostMachine(silentProgress);
    try {
      expect(machine.info).toMatchObject({ backend: "host", accelerator: "none" });
      const dir = `/tmp/bpflab-host-test-${process.pid}`;
      const plan = unlinker.launch({ comm: "rm-host", steps: [{ op: "unlink", dir, name: "gone.txt" }] });
      const workload = await machine.spawn(["unlinker"], { stdin: plan.stdin, cwd: "/tmp" });
      let stdout = "";
      workload.onStdout((chunk) => (stdout += Buffer.from(chunk).toString("utf8")));
      expect(await workload.exit).toEqual({ kind: "exited", code: 0 });
      expect(stdout).toContain(`"path":"${dir}/gone.txt"`);
      await execa("rm", ["-rf", dir]);
    } finally {
      await machine.close();
    }
  });
});
