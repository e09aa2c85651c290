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
import { silentProgress, type VmProgress as Progress } from "../../../../vm/progress.ts";
import type { AgentConnection } from "../agent/agent-client.ts";
import { connectAgentMachine } from "../agent/connect-agent.ts";
import type { LabMachine } from "../lab-machine.ts";
import type { DiagnosableBackend } from "../capabilities/backend-diagnosis.ts";
import { featureHints } from "../capabilities/backend-diagnosis.ts";
import { capabilityCheckedBackend, type MachineSource } from "../capabilities/capability-checked-backend.ts";
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
  // qemu's exit explains more than the agent's closed socket, which usually comes first.
  let stopped: string | undefined;
  try {
    return await connectAgentMachine({
      stream: () => vm.connectAgent(30_000),
      timing: { helloTimeoutMs: resumeFrom ? (kvm ? 15_000 : 30_000) : kvm ? 30_000 : 120_000, heartbeatTimeoutMs: kvm ? 5_000 : 10_000 },
      info: (agent) => ({ backend: "vm", accelerator: shape.accelerator, kernelRelease: agent.kernelRelease, lab: image.lab, packages: image.packages }),
      stop: () => vm.stop(),
      failure: () => stopped,
      async prepare(_, agent) {
        if (resumeFrom) await setClock(agent);
        void vm.exited.then((how) => {
          const panic = panicLine(vm.consoleTail());
          stopped = `the lab machine stopped (${how})${panic ? `: ${panic}` : ""}`;
          agent.fail(stopped);
        });
      },
    });
  } catch (error) {
    throw new Error(`the lab machine did not start: ${error instanceof Error ? error.message : String(error)}\n${vm.consoleTail().slice(-1500)}`);
  }
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

async function acceleratorHints(accelerator: string, lab: Lab): Promise<string[]> {
  if (accelerator === "kvm") return [];
  const choice = await chooseAccelerator(await ensureLabImage(silentProgress, lab), silentProgress);
  return [`KVM would make the VM several times faster; TCG is used because ${choice.why} (BPFLAB_ACCEL=kvm forces it)`];
}

/** The lab VM as a source of machines: a kernel of its own, the lab's. */
export function vmSource(options: VmBackendOptions = {}): MachineSource {
  const lab = options.lab ?? chosenLab();
  const remedy = "the lab image's kernel should have it: rebuild the image (delete its folder in the bpflab cache)";
  return {
    name: "vm",
    kernel: "own",
    // The lab image's kernel is built for the exercises; doctor still asks it what it has.
    trustsItsKernel: true,
    unusable: async () => undefined,
    async start(progress: Progress): Promise<LabMachine> {
      await requireTools([{ command: "qemu-system-x86_64", debianPackage: "qemu-system-x86" }], progress);
      const image = await ensureLabImage(progress, lab);
      const { accelerator } = await chooseAccelerator(image, progress);
      const shape = labMachineShape(accelerator);
      const started = Date.now();
      const { machine, how } = options.snapshots === false ? await bootAfresh(image, shape, progress) : await resumeOrBoot(image, shape, progress);
      progress.done(`${lab.name} lab machine ${how} in ${((Date.now() - started) / 1000).toFixed(1)} s (${accelerator.toUpperCase()})`);
      return machine;
    },
    hints: async (summary, info) => [...(await acceleratorHints(info.accelerator, lab)), ...featureHints(summary, remedy)],
    remedy,
  };
}

export function vmBackend(options: VmBackendOptions = {}, progress?: Progress): DiagnosableBackend {
  return capabilityCheckedBackend(vmSource(options), progress);
}
