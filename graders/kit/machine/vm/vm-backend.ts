// The lab machine as a qemu VM from a lab's image: the default backend, and the only one that
// brings its own kernel (the lab's, with BTF, fentry, kprobes and lock tracepoints). A machine is
// resumed from a snapshot saved after its first boot, or booted when there is none.
import { chooseAccelerator } from "../../../../vm/accel.ts";
import { ensureLabImage, type LabImage } from "../../../../vm/image.ts";
import { chosenLab, type Lab } from "../../../../vm/labs.ts";
import { launchVm, type MachineShape } from "../../../../vm/launch.ts";
import type { Accelerator } from "../../../../vm/qemu.ts";
import { discardSnapshot, hasSnapshot, saveSnapshot, snapshotFile } from "../../../../vm/snapshot.ts";
import { resourceLimits } from "../../host/cgroup-limits.ts";
import { requireTools } from "../../../../vm/system-tools.ts";
import type { Progress } from "../../ui/progress.ts";
import { AgentConnection } from "../agent/agent-client.ts";
import type { LabMachine, MachineInfo } from "../lab-machine.ts";
import type { Backend } from "../lab-provider.ts";
import { chooseVmSize } from "./vm-shape.ts";

/**
 * The machine every VM here is: its size fitted to this process's limits or set (vm-shape.ts).
 * Saved states are made for one shape and resume only into it. Throws, saying what to change,
 * when the VM cannot fit.
 */
export function labMachineShape(accelerator: Accelerator): MachineShape {
  const choice = chooseVmSize(resourceLimits(), process.env);
  if ("refused" in choice) throw new Error(choice.refused);
  return { accelerator, ...choice.size };
}

function panicLine(console: string): string | undefined {
  return console.split("\n").find((line) => /Kernel panic|BUG:|Oops/.test(line))?.trim();
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split("\n")[0];

/** A resumed machine's clock stands where it stood when it was saved. */
async function setClock(agent: AgentConnection): Promise<void> {
  const date = await agent.spawn(["date", "-u", "-s", `@${(Date.now() / 1000).toFixed(3)}`], {});
  const status = await date.exit;
  if (status.kind !== "exited" || status.code !== 0) throw new Error(`could not set the clock (${JSON.stringify(status)})`);
}

async function startMachine(image: LabImage, shape: MachineShape, resumeFrom?: string): Promise<LabMachine> {
  const kvm = shape.accelerator === "kvm";
  const vm = await launchVm(image, shape, { resumeFrom });
  let agent: AgentConnection;
  try {
    agent = await AgentConnection.open(await vm.connectAgent(30_000), {
      helloTimeoutMs: resumeFrom ? (kvm ? 15_000 : 30_000) : kvm ? 30_000 : 120_000,
      heartbeatTimeoutMs: kvm ? 5_000 : 10_000,
    });
    if (resumeFrom) await setClock(agent);
  } catch (error) {
    await vm.stop();
    throw new Error(`the lab machine did not start: ${error instanceof Error ? error.message : String(error)}\n${vm.consoleTail().slice(-1500)}`);
  }
  // qemu's exit explains more than the agent's closed socket, which usually comes first.
  let stopped: string | undefined;
  void vm.exited.then((how) => {
    const panic = panicLine(vm.consoleTail());
    stopped = `the lab machine stopped (${how})${panic ? `: ${panic}` : ""}`;
    agent.fail(stopped);
  });
  const info: MachineInfo = { backend: "vm", accelerator: shape.accelerator, kernelRelease: agent.kernelRelease, lab: image.lab, packages: image.packages };
  return {
    info,
    spawn: (argv, options) => agent.spawn(argv, options),
    writeFile: (path, data, mode) => agent.writeFile(path, data, mode),
    readFile: (path) => agent.readFile(path),
    get failure() {
      return stopped ?? agent.failure;
    },
    async close() {
      await agent.close();
      await vm.stop();
    },
  };
}

interface Started {
  machine: LabMachine;
  how: "resumed" | "booted";
}

async function bootAfresh(image: LabImage, shape: MachineShape, progress: Progress): Promise<Started> {
  progress.step(`booting the lab machine (qemu, ${shape.accelerator.toUpperCase()})`);
  return { machine: await startMachine(image, shape), how: "booted" };
}

/** Resumes the saved machine, saving one first if there is none; boots when that fails. */
async function resumeOrBoot(image: LabImage, shape: MachineShape, progress: Progress): Promise<Started> {
  const name = shape.accelerator.toUpperCase();
  if (!hasSnapshot(image, shape)) {
    progress.step(`booting the lab machine and saving it, so that later starts take a second (first use only; qemu, ${name})`);
    await saveSnapshot(image, shape, shape.accelerator === "kvm" ? 30_000 : 120_000).catch((error: unknown) =>
      progress.step(`could not save the booted lab machine (${firstLine(error)}); booting it instead`),
    );
  }
  if (hasSnapshot(image, shape)) {
    progress.step(`resuming the lab machine (qemu, ${name})`);
    try {
      return { machine: await startMachine(image, shape, snapshotFile(image, shape)), how: "resumed" };
    } catch (error) {
      await discardSnapshot(image, shape);
      progress.step(`the saved lab machine did not resume (${firstLine(error)}); booting it`);
    }
  }
  return bootAfresh(image, shape, progress);
}

export interface VmBackendOptions {
  /** Resume from a saved machine (the default), or always boot (the benchmark compares both). */
  snapshots?: boolean;
  /** The lab whose image it boots; the chosen one (--lab, BPFLAB_LAB, package.json) by default. */
  lab?: Lab;
}

export function vmBackend(options: VmBackendOptions = {}): Backend {
  const lab = options.lab ?? chosenLab();
  return {
    name: "vm",
    kernel: "own",
    // The lab kernel offers every feature the exercises require.
    unsupported: async () => undefined,
    async boot(progress: Progress): Promise<LabMachine> {
      await requireTools([{ command: "qemu-system-x86_64", debianPackage: "qemu-system-x86" }], progress);
      const image = await ensureLabImage(progress, lab);
      const { accelerator } = await chooseAccelerator(image, progress);
      const shape = labMachineShape(accelerator);
      const started = Date.now();
      const { machine, how } = options.snapshots === false ? await bootAfresh(image, shape, progress) : await resumeOrBoot(image, shape, progress);
      progress.done(`${lab.name} lab machine ${how} in ${((Date.now() - started) / 1000).toFixed(1)} s (${accelerator.toUpperCase()})`);
      return machine;
    },
  };
}
