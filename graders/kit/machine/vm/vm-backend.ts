// The lab machine as a qemu VM booted from the lab image: the default backend, and the only
// one that brings its own kernel (6.12 with BTF, fentry, kprobes and lock tracepoints).
import { availableParallelism } from "node:os";
import { chooseAccelerator } from "../../../../vm/accel.ts";
import { ensureLabImage } from "../../../../vm/image.ts";
import { launchVm } from "../../../../vm/launch.ts";
import { requireTools } from "../../host/system-tools.ts";
import type { Progress } from "../../ui/progress.ts";
import { AgentConnection } from "../agent/agent-client.ts";
import type { LabMachine, MachineInfo } from "../lab-machine.ts";
import type { Backend } from "../lab-provider.ts";

const memoryMb = 1536;

function panicLine(console: string): string | undefined {
  return console.split("\n").find((line) => /Kernel panic|BUG:|Oops/.test(line))?.trim();
}

export function vmBackend(): Backend {
  return {
    name: "vm",
    // The lab kernel offers every feature the exercises require.
    unsupported: async () => undefined,
    async boot(progress: Progress): Promise<LabMachine> {
      await requireTools([{ command: "qemu-system-x86_64", debianPackage: "qemu-system-x86" }], progress);
      const image = await ensureLabImage(progress);
      const { accelerator } = await chooseAccelerator(image, progress);
      const started = Date.now();
      progress.step(`booting the lab machine (qemu, ${accelerator.toUpperCase()})`);
      const vm = await launchVm(image, accelerator, Math.min(2, availableParallelism()), memoryMb);
      let agent: AgentConnection;
      try {
        agent = await AgentConnection.open(vm.agentSocket, {
          helloTimeoutMs: accelerator === "kvm" ? 30_000 : 120_000,
          heartbeatTimeoutMs: accelerator === "kvm" ? 5_000 : 10_000,
        });
      } catch (error) {
        await vm.stop();
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`the lab machine did not start: ${reason}\n${vm.consoleTail().slice(-1500)}`);
      }
      // qemu's exit explains more than the agent's closed socket, which usually comes first.
      let stopped: string | undefined;
      void vm.exited.then((how) => {
        const panic = panicLine(vm.consoleTail());
        stopped = `the lab machine stopped (${how})${panic ? `: ${panic}` : ""}`;
        agent.fail(stopped);
      });
      progress.done(`lab machine ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${accelerator.toUpperCase()})`);
      const info: MachineInfo = { backend: "vm", accelerator, kernelRelease: agent.kernelRelease, packages: image.packages };
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
    },
  };
}
