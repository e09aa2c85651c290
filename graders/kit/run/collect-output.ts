import type { RemoteProcess } from "../machine/lab-machine.ts";

/** A process's output, kept up to a cap: the head is what a student needs to see. */
export class CappedOutput {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  total = 0;

  constructor(private readonly capBytes: number) {}

  add(chunk: Uint8Array): void {
    this.total += chunk.length;
    const room = this.capBytes - this.kept;
    if (room <= 0) return;
    const part = Buffer.from(chunk.subarray(0, room));
    this.chunks.push(part);
    this.kept += part.length;
  }

  get overCap(): boolean {
    return this.total > this.capBytes;
  }

  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

export interface CollectedOutput {
  stdout: CappedOutput;
  stderr: CappedOutput;
}

export function collectOutput(process: RemoteProcess, capBytes: number): CollectedOutput {
  const stdout = new CappedOutput(capBytes);
  const stderr = new CappedOutput(capBytes);
  process.onStdout((chunk) => stdout.add(chunk));
  process.onStderr((chunk) => stderr.add(chunk));
  return { stdout, stderr };
}
