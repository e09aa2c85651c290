// Run once while a platform's image is built (Gradescope's setup.sh, PrairieLearn's Dockerfile):
// builds the lab image and saves the booted machine for the VM size the image will grade with,
// so that grading a submission resumes the machine (about a second) instead of booting it. The
// machine is then started once from what was saved, to prove that it resumes.
import { rm } from "node:fs/promises";
import { chooseAccelerator } from "../../../vm/accel.ts";
import { ensureLabImage } from "../../../vm/image.ts";
import { hasSnapshot } from "../../../vm/snapshot.ts";
import { labMachineShape, vmBackend } from "../machine/vm/vm-backend.ts";
import type { Progress } from "../ui/progress.ts";

export async function prepareMachine(progress: Progress): Promise<void> {
  const image = await ensureLabImage(progress);
  // Only the container backend reads the root filesystem's tar; a platform image grades in the VM.
  await rm(image.rootfsTar, { force: true });
  const machine = await vmBackend().boot(progress);
  await machine.close();
  const shape = labMachineShape((await chooseAccelerator(image, progress)).accelerator);
  if (!hasSnapshot(image, shape)) {
    throw new Error(`the booted lab machine could not be saved (${shape.cpus} CPUs, ${shape.memoryMb} MB): every submission would wait for a boot; see the messages above`);
  }
  progress.done(`lab machine saved for ${shape.cpus} CPUs and ${shape.memoryMb} MB (${shape.accelerator.toUpperCase()}); grading resumes it`);
}
