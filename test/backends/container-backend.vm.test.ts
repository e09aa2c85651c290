// The container backend for real: the lab image in Docker, tracing this host's kernel.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadExercise } from "../../graders/kit/catalog.ts";
import { gradeExercise } from "../../graders/kit/grade/grade-exercise.ts";
import { containerBackend } from "../../graders/kit/machine/container/container-backend.ts";
import type { LabMachine } from "../../graders/kit/machine/lab-machine.ts";
import { LabProvider } from "../../graders/kit/machine/lab-provider.ts";
import { unlinker } from "../../graders/kit/workloads/unlinker.ts";
import { trustedSubmissions } from "../../graders/kit/machine/isolation.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";
import { dockerMissing } from "./docker-available.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const notify = "__BPFTRACE_NOTIFY_PROBES_ATTACHED";
const script = `tracepoint:syscalls:sys_enter_unlink /comm == "rm-bpflab"/ { printf("unlink %s\\n", str(args.pathname)); }\n`;

function collect(process: Awaited<ReturnType<LabMachine["spawn"]>>) {
  let stdout = "";
  let stderr = "";
  process.onStdout((chunk) => (stdout += Buffer.from(chunk).toString("utf8")));
  process.onStderr((chunk) => (stderr += Buffer.from(chunk).toString("utf8")));
  return { stdout: () => stdout, stderr: () => stderr };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(dockerMissing !== undefined)("container backend", () => {
  const backend = containerBackend(silentProgress);
  let machine: LabMachine | undefined;

  afterAll(async () => {
    await machine?.close();
  });

  it("says exactly why it cannot run fentry and kprobe exercises on this host's kernel", async () => {
    expect(await backend.unsupported(["fentry"])).toBe("this kernel has no fentry support; run with --backend vm");
    expect(await backend.unsupported(["kprobe"])).toBe("this kernel has no kprobe support; run with --backend vm");
    expect(await backend.unsupported(["tracepoint:nosuch:tracepoint"])).toBe("this kernel has no tracepoint nosuch:tracepoint; run with --backend vm");
  });

  it("runs bpftrace on a tracepoint in the container, against the host's kernel", async () => {
    expect(await backend.unsupported(["tracepoint:syscalls:sys_enter_unlink"])).toBeUndefined();
    machine = await backend.boot(silentProgress);
    expect(machine.info).toMatchObject({ backend: "container", accelerator: "none" });
    expect(machine.info.packages.bpftrace).toMatch(/^0\.2/);
    await machine.writeFile("/run/bpflab/unlink.bt", script);
    const bpftrace = await machine.spawn(["bpftrace", "/run/bpflab/unlink.bt"], { env: { [notify]: "1", PATH: "/usr/bin:/bin" } });
    const output = collect(bpftrace);
    await until(() => output.stdout().includes(notify), 60_000);
    const plan = unlinker.launch({ comm: "rm-bpflab", steps: [{ op: "unlink", dir: "/tmp/bpflab-test", name: "secret-abc" }] });
    const workload = await machine.spawn(["unlinker"], { stdin: plan.stdin, cwd: "/tmp" });
    expect(await workload.exit).toEqual({ kind: "exited", code: 0 });
    await until(() => output.stdout().includes("unlink "), 10_000);
    bpftrace.signal("SIGINT");
    expect(await bpftrace.exit).toEqual({ kind: "exited", code: 0 });
    expect(output.stdout()).toContain("unlink /tmp/bpflab-test/secret-abc");
  });

  it("reports an fentry exercise not gradable, with the reason, and grades nothing", async () => {
    const provider = new LabProvider([containerBackend(silentProgress)], silentProgress, trustedSubmissions);
    try {
      const result = await gradeExercise(await loadExercise("vfs-unlink"), join(repo, "solutions"), provider, { seed: 1 });
      expect(result.gradable).toBe(false);
      expect(result.reason).toBe("container: this kernel has no fentry support; run with --backend vm");
    } finally {
      await provider.close();
    }
  });
});
