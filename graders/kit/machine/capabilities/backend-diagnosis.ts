// What `bpflab doctor` learns about one backend: usable or not and why, and what its machine
// can do, asked from inside it.
import type { Needs } from "../requirements.ts";
import type { VmProgress as Progress } from "../../../../vm/progress.ts";
import type { CapabilitySummary, MachineCapabilities } from "./capabilities.ts";
import type { LabMachine, MachineInfo } from "../lab-machine.ts";
import type { Backend } from "../lab-provider.ts";

export interface ExerciseFit {
  id: string;
  /** Why this backend cannot grade it, or undefined when it can. */
  unsupported: string | undefined;
}

export type BackendDiagnosis =
  | { backend: string; usable: false; reason: string; hints: string[] }
  | {
      backend: string;
      usable: true;
      accelerator: MachineInfo["accelerator"];
      capabilities: CapabilitySummary;
      exercises: ExerciseFit[];
      /** What would enable what is missing, or make it faster. */
      hints: string[];
    };

export interface DiagnosableBackend extends Backend {
  diagnose(progress: Progress, exercises: readonly Needs[]): Promise<BackendDiagnosis>;
}

function tracepointsOf(exercises: readonly Needs[]): string[] {
  const names = exercises.flatMap((exercise) => exercise.requires.filter((requirement) => requirement.startsWith("tracepoint:")));
  return [...new Set(names.map((requirement) => requirement.slice("tracepoint:".length)))].sort();
}

/** Asks a started machine everything doctor shows. */
export async function diagnoseMachine(
  backend: string,
  machine: LabMachine,
  capabilities: MachineCapabilities,
  exercises: readonly Needs[],
  hintsFor: (summary: CapabilitySummary, info: MachineInfo) => Promise<string[]>,
): Promise<BackendDiagnosis> {
  const summary = await capabilities.summary(tracepointsOf(exercises));
  const fits: ExerciseFit[] = [];
  for (const exercise of exercises) fits.push({ id: exercise.id, unsupported: await capabilities.unsupported(exercise.requires) });
  return {
    backend,
    usable: true,
    accelerator: machine.info.accelerator,
    capabilities: summary,
    exercises: fits,
    hints: await hintsFor(summary, machine.info),
  };
}

export function featureHints(summary: CapabilitySummary, elsewhere: string): string[] {
  const hints: string[] = [];
  if (!summary.btf) hints.push("BTF: needs a kernel built with CONFIG_DEBUG_INFO_BTF (/sys/kernel/btf/vmlinux)");
  if (!summary.fentry) hints.push(`fentry: needs a kernel with BPF trampolines (CONFIG_DEBUG_INFO_BTF, CONFIG_FUNCTION_TRACER, x86_64 or arm64); ${elsewhere}`);
  if (!summary.kprobe.attaches) {
    hints.push(`kprobe: needs a kernel with CONFIG_KPROBES and CONFIG_KPROBE_EVENTS (${summary.kprobe.detail}); ${elsewhere}`);
  }
  for (const [name, present] of Object.entries(summary.tracepoints)) {
    if (!present) hints.push(`tracepoint ${name}: not in this kernel (lock tracepoints need CONFIG_LOCKDEP or 5.19+); ${elsewhere}`);
  }
  return hints;
}
