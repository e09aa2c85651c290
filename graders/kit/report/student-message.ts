import type { CheckResult, ExerciseResult } from "../grade/results.ts";
import type { MachineInfo } from "../machine/lab-machine.ts";

/** "vm (TCG), kernel 6.12.117+deb13-cloud-amd64, bpftrace 0.23.2+dfsg-1" */
export function describeMachine(machine: MachineInfo): string {
  const accelerator = machine.accelerator === "none" ? "" : ` (${machine.accelerator.toUpperCase()})`;
  const bpftrace = machine.packages.bpftrace ? `, bpftrace ${machine.packages.bpftrace}` : "";
  const lab = machine.lab ? `, ${machine.lab} lab` : "";
  return `${machine.backend}${accelerator}${lab}, kernel ${machine.kernelRelease}${bpftrace}`;
}

/** A failed check as a student reads it: the sentence, then what their script printed. */
export function studentMessage(check: CheckResult, exercise: ExerciseResult): string {
  const parts = [check.message];
  if (check.excerpt.length > 0) parts.push("", "Your script printed:", ...check.excerpt.map((line) => `  | ${line}`));
  if (exercise.transcript) parts.push("", `Full transcript: ${exercise.transcript}`);
  return parts.join("\n");
}
