// The VM backend as it is (its kernel is the lab's, so it takes every exercise), plus what
// doctor needs: its real capabilities, asked from inside a booted VM, and the accelerator.
import { chooseAccelerator } from "../../../../vm/accel.ts";
import { ensureLabImage } from "../../../../vm/image.ts";
import type { Needs } from "../requirements.ts";
import type { Lab } from "../../../../vm/labs.ts";
import { silentProgress, type Progress } from "../../ui/progress.ts";
import { diagnoseMachine, featureHints, type BackendDiagnosis, type DiagnosableBackend } from "../capabilities/backend-diagnosis.ts";
import { MachineCapabilities } from "../capabilities/capabilities.ts";
import { vmBackend } from "./vm-backend.ts";

async function acceleratorHints(accelerator: string, lab: Lab): Promise<string[]> {
  if (accelerator === "kvm") return [];
  const choice = await chooseAccelerator(await ensureLabImage(silentProgress, lab), silentProgress);
  return [`KVM would make the VM several times faster; TCG is used because ${choice.why} (BPFLAB_ACCEL=kvm forces it)`];
}

export function diagnosableVm(lab: Lab): DiagnosableBackend {
  const backend = vmBackend({ lab });
  return {
    ...backend,
    async diagnose(progress: Progress, exercises: readonly Needs[]): Promise<BackendDiagnosis> {
      let machine;
      try {
        machine = await backend.boot(progress);
      } catch (error) {
        return { backend: "vm", usable: false, reason: error instanceof Error ? error.message : String(error), hints: [] };
      }
      const booted = machine;
      try {
        const capabilities = new MachineCapabilities(async () => booted, undefined);
        return await diagnoseMachine("vm", booted, capabilities, exercises, async (summary, info) => [
          ...(await acceleratorHints(info.accelerator, lab)),
          ...featureHints(summary, "the lab image's kernel should have it: rebuild the image (delete its folder in the bpflab cache)"),
        ]);
      } catch (error) {
        return { backend: "vm", usable: false, reason: error instanceof Error ? error.message : String(error), hints: [] };
      } finally {
        await booted.close();
      }
    },
  };
}
