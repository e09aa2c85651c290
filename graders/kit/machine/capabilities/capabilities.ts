// What the kernel and bpftrace of one lab machine can do, asked from inside that machine and
// cached: `bpftrace --info` once, a real kprobe attach once (and an fentry one where --info does
// not say, as from bpftrace 0.25 on), and each tracepoint once.
import { parseDiagnostics } from "../../bpftrace/diagnostics.ts";
import type { Requirement } from "../requirements.ts";
import { parseBpftraceInfo, type BpftraceInfo } from "./bpftrace-info.ts";
import type { LabMachine } from "../lab-machine.ts";
import { describeExit, runCommand, succeeded } from "./machine-command.ts";

const infoTimeoutMs = 60_000;
const attachTimeoutMs = 90_000;
// A function every kernel has and allows tracing; BEGIN runs once every probe is attached.
const kprobeTestProgram = "kprobe:vfs_read {} BEGIN { exit(); }";
const fentryTestProgram = "fentry:vfs_read {} BEGIN { exit(); }";

export interface AttachCheck {
  attaches: boolean;
  /** bpftrace's error when it does not. */
  detail: string;
}

export interface CapabilitySummary {
  kernelRelease: string;
  bpftraceVersion: string;
  btf: boolean;
  fentry: boolean;
  kprobe: AttachCheck;
  tracepoints: Record<string, boolean>;
}

export class CapabilityCheckError extends Error {}

/** bpftrace's first error ("No matches for fentry vfs_read." from 0.27, located on the -e program), else its first message. */
function firstError(text: string): string {
  const messages = parseDiagnostics(text);
  const first =
    messages.find((message) => message.severity === "error") ??
    messages.find((message) => /No such file|not available/.test(message.message)) ??
    messages[0];
  return first?.message.split("\n")[0] ?? "";
}

export class MachineCapabilities {
  private info: Promise<BpftraceInfo> | undefined;
  private kprobe: Promise<AttachCheck> | undefined;
  private fentry: Promise<AttachCheck> | undefined;
  private readonly tracepoints = new Map<string, Promise<boolean>>();

  /**
   * @param machine the machine to ask (booted on first need).
   * @param remedy appended to every "cannot" reason, e.g. "run with --backend vm".
   */
  constructor(
    private readonly machine: () => Promise<LabMachine>,
    private readonly remedy: string | undefined,
  ) {}

  bpftraceInfo(): Promise<BpftraceInfo> {
    this.info ??= this.once(async () => {
      const result = await runCommand(await this.machine(), ["bpftrace", "--info"], infoTimeoutMs);
      if (!succeeded(result)) {
        throw new CapabilityCheckError(`bpftrace --info failed (${describeExit(result)}): ${firstError(result.stderr)}`);
      }
      // 0.23 prints it on stdout, 0.24 and later on stderr.
      return parseBpftraceInfo(`${result.stdout}\n${result.stderr}`);
    }, () => (this.info = undefined));
    return this.info;
  }

  kprobeAttach(): Promise<AttachCheck> {
    this.kprobe ??= this.once(async () => {
      if ((await this.bpftraceInfo()).kprobeProgramType === false) return { attaches: false, detail: "bpftrace --info says kprobe: no" };
      return this.attaches(kprobeTestProgram);
    }, () => (this.kprobe = undefined));
    return this.kprobe;
  }

  /** bpftrace's own answer where --info gives one (up to 0.24), else a real attach. */
  fentryAttach(): Promise<AttachCheck> {
    this.fentry ??= this.once(async () => {
      const reported = (await this.bpftraceInfo()).fentry;
      if (reported !== null) return { attaches: reported, detail: reported ? "" : "bpftrace --info says fentry: no" };
      return this.attaches(fentryTestProgram);
    }, () => (this.fentry = undefined));
    return this.fentry;
  }

  private async attaches(program: string): Promise<AttachCheck> {
    const result = await runCommand(await this.machine(), ["bpftrace", "-e", program], attachTimeoutMs);
    return succeeded(result)
      ? { attaches: true, detail: "" }
      : { attaches: false, detail: firstError(`${result.stderr}\n${result.stdout}`) || describeExit(result) };
  }

  /** "lock:contention_begin" */
  hasTracepoint(name: string): Promise<boolean> {
    let known = this.tracepoints.get(name);
    if (!known) {
      known = this.once(async () => {
        const probe = `tracepoint:${name}`;
        const result = await runCommand(await this.machine(), ["bpftrace", "-l", probe], infoTimeoutMs);
        return result.stdout.split("\n").some((line) => line.trim() === probe);
      }, () => this.tracepoints.delete(name));
      this.tracepoints.set(name, known);
    }
    return known;
  }

  /** Why this machine cannot run exercises with these requirements, or undefined when it can. */
  async unsupported(requires: readonly Requirement[]): Promise<string | undefined> {
    for (const requirement of requires) {
      const missing = await this.missing(requirement);
      if (missing) return this.remedy ? `${missing}; ${this.remedy}` : missing;
    }
    return undefined;
  }

  async summary(tracepoints: readonly string[]): Promise<CapabilitySummary> {
    const info = await this.bpftraceInfo();
    const machine = await this.machine();
    const found = await Promise.all(tracepoints.map(async (name) => [name, await this.hasTracepoint(name)] as const));
    return {
      kernelRelease: machine.info.kernelRelease,
      bpftraceVersion: info.version,
      btf: info.btf,
      fentry: (await this.fentryAttach()).attaches,
      kprobe: await this.kprobeAttach(),
      tracepoints: Object.fromEntries(found),
    };
  }

  private async missing(requirement: Requirement): Promise<string | undefined> {
    if (requirement === "fentry") return (await this.fentryAttach()).attaches ? undefined : "this kernel has no fentry support";
    if (requirement === "kprobe") return (await this.kprobeAttach()).attaches ? undefined : "this kernel has no kprobe support";
    const name = requirement.slice("tracepoint:".length);
    return (await this.hasTracepoint(name)) ? undefined : `this kernel has no tracepoint ${name}`;
  }

  /** A cached check that is forgotten when it fails, so a lost machine does not poison the cache. */
  private once<T>(check: () => Promise<T>, forget: () => void): Promise<T> {
    const pending = check();
    pending.catch(forget);
    return pending;
  }
}
