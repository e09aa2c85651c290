// One grading session per process: a lab provider over the chosen backends, shared by every
// exercise graded in the process, and closed when the process ends.
import type { DiagnosableBackend } from "./machine/capabilities/backend-diagnosis.ts";
import { containerBackend } from "./machine/container/container-backend.ts";
import { vmBackend } from "./machine/vm/vm-backend.ts";
import { hostBackend } from "./machine/host/host-backend.ts";
import { ownScript } from "./machine/isolation.ts";
import { LabProvider } from "./machine/lab-provider.ts";
import { silentProgress, terminalProgress, type Progress } from "./ui/progress.ts";
import { chosenLab, type Lab } from "../../vm/labs.ts";

export type BackendChoice = "auto" | "vm" | "container" | "host";

/**
 * The backends to try, in order. "auto" tries the lab VM first (its kernel has every feature),
 * then a container on the host's kernel, then the host itself; the first one usable here that
 * satisfies an exercise's requirements grades it (LabProvider walks the list, skipping the
 * backends its isolation policy refuses: for others' submissions, all but the VM).
 */
export function backendsFor(choice: BackendChoice, progress: Progress = silentProgress, lab: Lab = chosenLab()): DiagnosableBackend[] {
  const make = { vm: () => vmBackend({ lab }, progress), container: () => containerBackend(progress, lab), host: () => hostBackend(progress) };
  return choice === "auto" ? [make.vm(), make.container(), make.host()] : [make[choice]()];
}

let shared: LabProvider | undefined;

/**
 * For the user's own scripts (npm test exercises/<id>, bpflab run and shell), which may fall
 * back to the host's kernel: it is their own host. Others' submissions go through grade-command.
 */
export function sharedLabProvider(choice: BackendChoice = "auto", progress: Progress = terminalProgress(), lab: Lab = chosenLab()): LabProvider {
  if (!shared) {
    const provider = new LabProvider(backendsFor(choice, progress, lab), progress, ownScript);
    shared = provider;
    process.once("beforeExit", () => void provider.close());
  }
  return shared;
}
