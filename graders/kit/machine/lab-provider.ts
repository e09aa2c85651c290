// Hands out lab machines: boots one on first use, reuses it for every exercise after, and
// replaces it when it dies. Which backend it boots is decided by the backend list it is given,
// less the backends whose kernel its isolation policy refuses: those are never tried.
import type { Requirement } from "./requirements.ts";
import type { VmProgress as Progress } from "../../../vm/progress.ts";
import { isolationOn, type Isolation, type IsolationPolicy, type Kernel } from "./isolation.ts";
import type { LabMachine } from "./lab-machine.ts";

export type MachineOffer = { kind: "ready"; machine: LabMachine; isolation: Isolation } | { kind: "unavailable"; reason: string };

export interface Backend {
  readonly name: string;
  /** Whether its machines have a kernel of their own or run scripts on the host's. */
  readonly kernel: Kernel;
  /** Why this backend cannot satisfy these requirements here, or undefined when it can. */
  unsupported(requires: readonly Requirement[]): Promise<string | undefined>;
  boot(progress: Progress): Promise<LabMachine>;
}

export class LabProvider {
  private current: { backend: Backend; machine: Promise<LabMachine> } | undefined;
  private readonly bootFailures = new Map<string, string>();

  constructor(
    private readonly backends: readonly Backend[],
    private readonly progress: Progress,
    private readonly policy: IsolationPolicy,
  ) {}

  /** The first backend, in order, that the policy admits and that can grade an exercise with these requirements. */
  async acquire(requires: readonly Requirement[]): Promise<MachineOffer> {
    const reasons: string[] = [];
    const refused: string[] = [];
    for (const backend of this.backends) {
      const isolation = isolationOn(this.policy, backend.kernel);
      if (!isolation) {
        refused.push(backend.name);
        continue;
      }
      const unsupported = this.bootFailures.get(backend.name) ?? (await backend.unsupported(requires));
      if (unsupported) {
        reasons.push(`${backend.name}: ${unsupported}`);
        continue;
      }
      // A boot can fail once by bad luck (a guest panic under a loaded host); twice means the
      // backend is broken here, and it is not tried again in this process.
      for (let attempt = 1; attempt <= 2; attempt++) {
        try {
          return { kind: "ready", machine: await this.machineOn(backend), isolation };
        } catch (error) {
          this.current = undefined;
          if (attempt === 2) {
            const reason = `could not start: ${error instanceof Error ? error.message : String(error)}`;
            this.bootFailures.set(backend.name, reason);
            reasons.push(`${backend.name}: ${reason}`);
          }
        }
      }
    }
    if (reasons.length > 0) return { kind: "unavailable", reason: reasons.join("; ") };
    if (refused.length > 0) return { kind: "unavailable", reason: `${refused.join(" and ")} would run the script on the host's kernel, and submissions run only in a kernel of their own` };
    return { kind: "unavailable", reason: "no backend configured" };
  }

  private async machineOn(backend: Backend): Promise<LabMachine> {
    if (this.current?.backend === backend) {
      const machine = await this.current.machine;
      if (!machine.failure) return machine;
      // It died while idle: replace it rather than hand out a dead machine.
      this.current = undefined;
      await machine.close();
    }
    const previous = this.current;
    this.current = { backend, machine: backend.boot(this.progress) };
    if (previous) void previous.machine.then((machine) => machine.close(), () => undefined);
    return this.current.machine;
  }

  /** Throws a failed machine away; the next acquire boots a fresh one. */
  async discard(machine: LabMachine): Promise<void> {
    if (this.current && (await this.current.machine.catch(() => undefined)) === machine) this.current = undefined;
    await machine.close();
  }

  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (current) await current.machine.then((machine) => machine.close(), () => undefined);
  }
}
