// KVM when it really works, TCG otherwise. On some hosts /dev/kvm exists but guests hang at
// boot (nested virtualization), so the answer comes from a bounded test boot, cached per host
// kernel, and never from the device node alone.
import { constants, existsSync } from "node:fs";
import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import { release } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { cacheRoot, type LabImage } from "./image.ts";
import { qemuArguments, type Accelerator } from "./qemu.ts";
import type { VmProgress as Progress } from "./progress.ts";

const probeTimeoutMs = 20_000;

export interface AcceleratorChoice {
  accelerator: Accelerator;
  why: string;
}

async function kvmDeviceUsable(): Promise<boolean> {
  if (!existsSync("/dev/kvm")) return false;
  return access("/dev/kvm", constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  );
}

async function probeKvm(image: LabImage): Promise<boolean> {
  const args = qemuArguments({
    image,
    accelerator: "kvm",
    agentSocket: join(image.dir, `probe-${process.pid}.sock`),
    memoryMb: 256,
    cpus: 1,
    kernelArgs: ["bpflab.probe"],
  });
  const run = await execa("qemu-system-x86_64", args, { timeout: probeTimeoutMs, reject: false, stdin: "ignore" });
  return run.stdout.includes("bpflab: accelerator probe ok");
}

export async function chooseAccelerator(image: LabImage, progress: Progress): Promise<AcceleratorChoice> {
  const forced = process.env.BPFLAB_ACCEL;
  if (forced === "kvm" || forced === "tcg") return { accelerator: forced, why: `BPFLAB_ACCEL=${forced}` };
  if (!(await kvmDeviceUsable())) return { accelerator: "tcg", why: "/dev/kvm is missing or not accessible" };

  const cacheFile = join(cacheRoot(), `kvm-probe-${release()}.json`);
  const cached = await readFile(cacheFile, "utf8").then(
    (text) => JSON.parse(text) as { works: boolean },
    () => undefined,
  );
  let works = cached?.works;
  if (works === undefined) {
    progress.step("checking whether KVM really works here (once per host kernel)");
    works = await probeKvm(image);
    await mkdir(cacheRoot(), { recursive: true });
    await writeFile(cacheFile, JSON.stringify({ works }));
  }
  return works
    ? { accelerator: "kvm", why: "a KVM test boot succeeded" }
    : { accelerator: "tcg", why: `/dev/kvm exists but a KVM test boot did not finish within ${probeTimeoutMs / 1000} s` };
}
