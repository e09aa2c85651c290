// `bpflab doctor`: the labs and which are built here; then, for the chosen lab, each backend:
// whether it works here and why not, and what its kernel and bpftrace can do, asked from inside
// its machine. Exit status 0 when at least one backend works.
import { exerciseIds, loadExercise } from "../catalog.ts";
import type { BackendDiagnosis } from "../machine/capabilities/backend-diagnosis.ts";
import { backendsFor } from "../session.ts";
import { terminalProgress } from "../ui/progress.ts";
import { chosenLab } from "../../../vm/labs.ts";
import { formatLabs, listLabs } from "./lab-list.ts";

const yesNo = (value: boolean) => (value ? "yes" : "no");

export function formatDiagnosis(diagnosis: BackendDiagnosis): string {
  const lines: string[] = [];
  if (!diagnosis.usable) {
    lines.push(`${diagnosis.backend}: not usable: ${diagnosis.reason}`);
  } else {
    const { capabilities: caps } = diagnosis;
    lines.push(`${diagnosis.backend}: usable`);
    lines.push(`  kernel:      ${caps.kernelRelease}`);
    lines.push(`  bpftrace:    ${caps.bpftraceVersion}`);
    const tracepoints = Object.entries(caps.tracepoints).map(([name, present]) => `tracepoint:${name} ${yesNo(present)}`);
    lines.push(`  features:    ${[`btf ${yesNo(caps.btf)}`, `fentry ${yesNo(caps.fentry)}`, `kprobe ${yesNo(caps.kprobe.attaches)}`, ...tracepoints].join(", ")}`);
    lines.push(`  accelerator: ${diagnosis.accelerator === "none" ? "none (no VM)" : diagnosis.accelerator.toUpperCase()}`);
    for (const fit of diagnosis.exercises) lines.push(`  exercise ${fit.id}: ${fit.unsupported ? `not gradable: ${fit.unsupported}` : "gradable"}`);
  }
  for (const hint of diagnosis.hints) lines.push(`  to enable:   ${hint}`);
  return `${lines.join("\n")}\n`;
}

export async function doctorCommand(options: { lab?: string }): Promise<void> {
  const progress = terminalProgress();
  const lab = chosenLab(options.lab);
  process.stdout.write(formatLabs(await listLabs(lab)));
  process.stdout.write(`backends, for the ${lab.name} lab:\n`);
  const exercises = await Promise.all(exerciseIds().map(loadExercise));
  let usable = 0;
  for (const backend of backendsFor("auto", progress, lab)) {
    progress.step(`checking the ${backend.name} backend`);
    const diagnosis = await backend.diagnose(progress, exercises);
    progress.done(`checked the ${backend.name} backend`);
    if (diagnosis.usable) usable++;
    process.stdout.write(formatDiagnosis(diagnosis));
  }
  process.stdout.write(
    `--backend auto tries vm, then container, then host for your own scripts (npm test, run, shell); ` +
      `bpflab grade runs others' submissions only in the vm, unless --trust-submissions (docs/threat-model.md).\n`,
  );
  process.exitCode = usable > 0 ? 0 : 1;
}
