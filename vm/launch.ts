// Starts qemu for one lab machine, booted or resumed from a snapshot, and reaches the guest
// agent's virtio-serial port. The serial console is kept (tail only) so that a panic can be
// shown to the user.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { setTimeout as sleep } from "node:timers/promises";
import type { LabImage } from "./image.ts";
import { QmpConnection } from "./qmp.ts";
import { qemuArguments, type Accelerator } from "./qemu.ts";

const consoleTailBytes = 16 * 1024;

export interface MachineShape {
  accelerator: Accelerator;
  cpus: number;
  memoryMb: number;
  /** TCG's translated-code cache in MB; qemu's default when absent. */
  tcgCacheMb?: number;
}

export interface LaunchOptions {
  /** Open a QMP socket (to save the machine's state). */
  monitor?: boolean;
  /** Resume this saved state instead of booting. */
  resumeFrom?: string;
}

export interface RunningVm {
  /** Connects to the agent's port; the agent greets the first host that connects with HELLO. */
  connectAgent(timeoutMs: number): Promise<Socket>;
  /** QMP, for a machine launched with `monitor`. */
  openMonitor(timeoutMs: number): Promise<QmpConnection>;
  /** The last lines the guest printed on its console. */
  consoleTail(): string;
  /** Resolves with a description once qemu has exited. */
  exited: Promise<string>;
  hasExited(): boolean;
  stop(): Promise<void>;
}

async function connectWhenListening(path: string, qemuExited: () => boolean, timeoutMs: number): Promise<Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (qemuExited()) throw new Error("qemu exited during start-up");
    if (existsSync(path)) {
      const socket = await new Promise<Socket | undefined>((resolve) => {
        const attempt = connect(path);
        attempt.once("connect", () => resolve(attempt));
        attempt.once("error", () => resolve(undefined));
      });
      if (socket) return socket;
    }
    if (Date.now() > deadline) throw new Error(`qemu did not open ${path} within ${timeoutMs} ms`);
    await sleep(20);
  }
}

export async function launchVm(image: LabImage, shape: MachineShape, options: LaunchOptions = {}): Promise<RunningVm> {
  const dir = await mkdtemp(join(tmpdir(), "bpflab-vm-"));
  const agentSocket = join(dir, "agent.sock");
  const monitorSocket = options.monitor ? join(dir, "qmp.sock") : undefined;
  const args = qemuArguments({ image, ...shape, agentSocket, monitorSocket, resumeFrom: options.resumeFrom });
  const qemu = execa("qemu-system-x86_64", args, { stdin: "ignore", reject: false, buffer: false, cleanup: true });
  let console = "";
  const onConsole = (chunk: Buffer) => {
    console = (console + chunk.toString("utf8")).slice(-consoleTailBytes);
  };
  qemu.stdout?.on("data", onConsole);
  qemu.stderr?.on("data", onConsole);
  let hasExited = false;
  const exited = qemu.then((result) => {
    hasExited = true;
    return result.signal ? `qemu was killed by ${result.signal}` : `qemu exited with status ${result.exitCode}`;
  });
  const withConsole = (error: unknown) => new Error(`${error instanceof Error ? error.message : String(error)}\n${console.slice(-2000)}`);
  return {
    connectAgent: (timeoutMs) => connectWhenListening(agentSocket, () => hasExited, timeoutMs).catch((error: unknown) => Promise.reject(withConsole(error))),
    async openMonitor(timeoutMs) {
      if (!monitorSocket) throw new Error("this machine was launched without a monitor");
      return QmpConnection.over(await connectWhenListening(monitorSocket, () => hasExited, timeoutMs));
    },
    consoleTail: () => console,
    exited,
    hasExited: () => hasExited,
    async stop() {
      if (!hasExited) qemu.kill("SIGKILL");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
