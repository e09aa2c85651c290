// Whether this host is itself a lab machine: a bpftrace bpflab has proofs for (a lab's version),
// the privilege to load BPF programs, and BTF. Checked without running anything as the
// student's script would.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { execa } from "execa";
import { provenBpftraceSeries, whereProvenBpftraceIs, unprovenBpftrace } from "./proven-bpftrace.ts";
const capBpf = 39n;
const capSysAdmin = 21n;

export interface HostReadiness {
  /** Absolute path of bpftrace, when installed. */
  bpftrace: string | undefined;
  /** Every reason the host cannot be the lab machine, most fundamental first. */
  problems: string[];
  hints: string[];
}

async function effectiveCapabilities(): Promise<bigint> {
  const status = await readFile("/proc/self/status", "utf8").catch(() => "");
  const hex = status.match(/^CapEff:\s*([0-9a-f]+)$/m)?.[1];
  return hex ? BigInt(`0x${hex}`) : 0n;
}

function holds(capabilities: bigint, capability: bigint): boolean {
  return (capabilities & (1n << capability)) !== 0n;
}

async function findBpftrace(): Promise<string | undefined> {
  const found = await execa("sh", ["-c", "command -v bpftrace"], { reject: false });
  return found.exitCode === 0 ? found.stdout.trim() : undefined;
}

export async function checkHostReadiness(): Promise<HostReadiness> {
  const problems: string[] = [];
  const hints: string[] = [];
  const bpftrace = await findBpftrace();
  const installable = `install bpftrace ${provenBpftraceSeries().map((series) => `${series}.x`).join(" or ")} (${whereProvenBpftraceIs()}), or use --backend vm`;
  if (!bpftrace) {
    problems.push("bpftrace is not installed on this host");
    hints.push(installable);
  } else {
    const version = (await execa(bpftrace, ["--version"], { reject: false })).stdout.match(/v?(\d+\.\d+(?:\.\d+)?)/)?.[1];
    const unproven = unprovenBpftrace(version);
    if (unproven) {
      problems.push(unproven);
      hints.push(installable);
    }
  }
  const capabilities = await effectiveCapabilities();
  if (process.getuid?.() !== 0 && !holds(capabilities, capBpf) && !holds(capabilities, capSysAdmin)) {
    problems.push("bpflab is neither root nor holds CAP_BPF on this host");
    hints.push("run as root (sudo) to grade on the host");
  }
  if (!existsSync("/sys/kernel/btf/vmlinux")) {
    problems.push("this host's kernel has no BTF (/sys/kernel/btf/vmlinux)");
    hints.push("use a kernel built with CONFIG_DEBUG_INFO_BTF");
  }
  return { bpftrace, problems, hints };
}
