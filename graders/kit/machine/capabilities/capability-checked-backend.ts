// A backend whose answer to "can you grade this?" comes from inside its own machine. The
// machine started to answer is kept and handed to the next boot(), so a check costs no
// extra start; when the answer is no, it is stopped at once.
import type { Needs, Requirement } from "../requirements.ts";
import { silentProgress, type VmProgress as Progress } from "../../../../vm/progress.ts";
import { diagnoseMachine, type BackendDiagnosis, type DiagnosableBackend } from "./backend-diagnosis.ts";
import { MachineCapabilities, type CapabilitySummary } from "./capabilities.ts";
import type { Kernel } from "../isolation.ts";
import type { BackendName, LabMachine, MachineInfo } from "../lab-machine.ts";

export interface MachineSource {
  name: BackendName;
  /** Whether its machines have a kernel of their own or share the host's. */
  kernel: Kernel;
  /** Why this backend cannot work on this host at all, found without starting a machine. */
  unusable(): Promise<Unusable | undefined>;
  start(progress: Progress): Promise<LabMachine>;
  /** What would enable the missing features (shown by doctor). */
  hints(summary: CapabilitySummary, info: MachineInfo): Promise<string[]>;
  /** What to do instead, appended to every "cannot": "run with --backend vm". */
  remedy: string;
  /**
   * A kernel built for the exercises (the lab VM's): grading does not ask it what it supports
   * first, which would cost a start; doctor still does.
   */
  trustsItsKernel?: boolean;
}

export interface Unusable {
  reason: string;
  /** What would make it usable. */
  hints: string[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function capabilityCheckedBackend(source: MachineSource, progress: Progress = silentProgress): DiagnosableBackend {
  let unusable: Promise<Unusable | undefined> | undefined;
  /** Started to answer a question; the next boot() takes it. */
  let spare: Promise<LabMachine> | undefined;
  /** Handed out by boot() and not closed yet. */
  let live: LabMachine | undefined;

  const healthy = (machine: LabMachine | undefined) => machine !== undefined && machine.failure === undefined;

  async function machineToAsk(): Promise<LabMachine> {
    if (live && healthy(live)) return live;
    const current = spare && (await spare.catch(() => undefined));
    if (!healthy(current)) spare = source.start(progress);
    return spare as Promise<LabMachine>;
  }

  async function dropSpare(): Promise<void> {
    const dropped = spare;
    spare = undefined;
    if (dropped) await dropped.then((machine) => machine.close(), () => undefined);
  }

  const capabilities = new MachineCapabilities(machineToAsk, source.remedy);

  function track(machine: LabMachine): LabMachine {
    live = machine;
    return {
      get info() {
        return machine.info;
      },
      spawn: (argv, options) => machine.spawn(argv, options),
      writeFile: (path, data, mode) => machine.writeFile(path, data, mode),
      readFile: (path) => machine.readFile(path),
      get failure() {
        return machine.failure;
      },
      async close() {
        if (live === machine) live = undefined;
        await machine.close();
      },
    };
  }

  return {
    name: source.name,
    kernel: source.kernel,

    async unsupported(requires: readonly Requirement[]): Promise<string | undefined> {
      unusable ??= source.unusable();
      const blocked = await unusable;
      if (blocked) return blocked.reason;
      if (source.trustsItsKernel) return undefined;
      let missing: string | undefined;
      try {
        missing = await capabilities.unsupported(requires);
      } catch (error) {
        missing = `could not check what its kernel supports: ${message(error)}`;
      }
      if (missing) await dropSpare();
      return missing;
    },

    async boot(bootProgress: Progress): Promise<LabMachine> {
      const kept = spare && (await spare.catch(() => undefined));
      spare = undefined;
      if (kept && healthy(kept)) return track(kept);
      if (kept) await kept.close();
      return track(await source.start(bootProgress));
    },

    async diagnose(diagnoseProgress: Progress, exercises: readonly Needs[]): Promise<BackendDiagnosis> {
      unusable ??= source.unusable();
      const blocked = await unusable;
      if (blocked) return { backend: source.name, usable: false, ...blocked };
      try {
        spare ??= source.start(diagnoseProgress);
        const machine = await machineToAsk();
        return await diagnoseMachine(source.name, machine, capabilities, exercises, source.hints);
      } catch (error) {
        return { backend: source.name, usable: false, reason: message(error), hints: [] };
      } finally {
        await dropSpare();
      }
    },
  };
}
