// One grading session per process: a lab provider over the chosen backends, shared by every
// exercise graded in the process, and closed when the process ends.
import { LabProvider } from "./machine/lab-provider.ts";
import { vmBackend } from "./machine/vm-backend.ts";
import type { Backend } from "./machine/lab-provider.ts";
import { terminalProgress, type Progress } from "./ui/progress.ts";

export type BackendChoice = "auto" | "vm" | "container" | "host";

export function backendsFor(choice: BackendChoice): Backend[] {
  switch (choice) {
    case "auto":
    case "vm":
      return [vmBackend()];
    default:
      return [];
  }
}

let shared: LabProvider | undefined;

export function sharedLabProvider(choice: BackendChoice = "auto", progress: Progress = terminalProgress()): LabProvider {
  if (!shared) {
    const provider = new LabProvider(backendsFor(choice), progress);
    shared = provider;
    process.once("beforeExit", () => void provider.close());
  }
  return shared;
}
