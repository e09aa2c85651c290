// Starts qemu for one lab machine and connects to the guest agent's virtio-serial port.
// The serial console is kept (tail only) so that a panic can be shown to the user.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import type { LabImage } from "./image.ts";
import { qemuArguments, type Accelerator } from "./qemu.ts";

const consoleTailBytes = 16 * 1024;

export interface RunningVm {
  process: ResultPromise;
  agentSocket: Socket;
  /** The last lines the guest printed on its console. */
  consoleTail(): string;
  /** Resolves with a description once qemu has exited. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

async function waitForSocket(path: string, qemuExited: () => boolean, timeoutMs: number): Promise<Socket> {
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
    if (Date.now() > deadline) throw new Error(`qemu did not open its agent socket within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function launchVm(image: LabImage, accelerator: Accelerator, cpus: number, memoryMb: number): Promise<RunningVm> {
  const dir = await mkdtemp(join(tmpdir(), "bpflab-vm-"));
  const agentSocketPath = join(dir, "agent.sock");
  const args = qemuArguments({ image, accelerator, agentSocket: agentSocketPath, memoryMb, cpus });
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
  const stop = async () => {
    if (!hasExited) qemu.kill("SIGKILL");
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const agentSocket = await waitForSocket(agentSocketPath, () => hasExited, 30_000);
    return { process: qemu, agentSocket, consoleTail: () => console, exited, stop };
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${console.slice(-2000)}`);
  }
}
