// Whose kernel a script may run on. A bpftrace script sees the whole kernel it runs on: every
// process, its files and (str(uptr(...)) in safe mode) its memory. A machine with a kernel of
// its own (the lab VM) shows a script only that machine; the container and host backends run
// it on the grading host's kernel. Which of those a provider may use is this policy, given to
// it as data (docs/threat-model.md).
import { z } from "zod";

/** "own": each machine has a kernel of its own; "host": the grading host's kernel, shared. */
export type Kernel = "own" | "host";

/** Scripts that may share the host's kernel: submissions the instructor vouched for, or the user's own. */
export type SharedKernelTrust = "trusted-submissions" | "own-script";

export type IsolationPolicy =
  /** Others' submissions: a kernel of their own, never a fallback to the host's. */
  | { readonly kernel: "own-required"; readonly trust: "untrusted" }
  | { readonly kernel: "shared-allowed"; readonly trust: SharedKernelTrust };

export const untrustedSubmissions: IsolationPolicy = { kernel: "own-required", trust: "untrusted" };
/** `bpflab grade --trust-submissions`. */
export const trustedSubmissions: IsolationPolicy = { kernel: "shared-allowed", trust: "trusted-submissions" };
/** The user's own script (npm test, bpflab run and shell): it may see the user's own host. */
export const ownScript: IsolationPolicy = { kernel: "shared-allowed", trust: "own-script" };

/** Where a graded exercise's scripts ran and why that was allowed: every report states it. */
export type Isolation =
  | { kernel: "own"; trust: IsolationPolicy["trust"] }
  | { kernel: "host"; trust: SharedKernelTrust };

/** An isolation read back from a report (results.json, the TAP's diagnostics). */
export const isolationSchema: z.ZodType<Isolation> = z.union([
  z.object({ kernel: z.literal("own"), trust: z.enum(["untrusted", "trusted-submissions", "own-script"]) }),
  z.object({ kernel: z.literal("host"), trust: z.enum(["trusted-submissions", "own-script"]) }),
]);

/** The isolation a machine on this kernel gives under the policy, or undefined when the policy refuses it. */
export function isolationOn(policy: IsolationPolicy, kernel: Kernel): Isolation | undefined {
  if (kernel === "own") return { kernel, trust: policy.trust };
  return policy.kernel === "shared-allowed" ? { kernel, trust: policy.trust } : undefined;
}

/** "a kernel of its own", "the host's kernel, submissions trusted (--trust-submissions)", ... */
export function describeIsolation(isolation: Isolation): string {
  if (isolation.kernel === "own") return "a kernel of its own";
  return isolation.trust === "trusted-submissions" ? "the host's kernel, submissions trusted (--trust-submissions)" : "the host's kernel, the user's own script";
}
