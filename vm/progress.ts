// What vm/ reports while it builds an image, probes the accelerator or installs tools: steps, then
// done or failed. Whoever calls it decides how that is shown (a spinner, plain lines, nothing).
export interface VmProgress {
  step(text: string): void;
  done(text: string): void;
  fail(text: string): void;
}
