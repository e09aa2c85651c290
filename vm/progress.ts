// What vm/ and the machines built on it report as they go (building an image, probing the
// accelerator, installing tools, starting a machine): steps, then done or failed. Whoever calls
// decides how that is shown (a spinner, plain lines, nothing).
export interface VmProgress {
  step(text: string): void;
  done(text: string): void;
  fail(text: string): void;
}

export const silentProgress: VmProgress = { step() {}, done() {}, fail() {} };
