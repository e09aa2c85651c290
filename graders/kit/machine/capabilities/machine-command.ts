// Runs one short command in a lab machine and returns what it printed: for checks, not grading.
import type { ExitStatus, LabMachine } from "../lab-machine.ts";

export interface CommandResult {
  exit: ExitStatus | { kind: "timeout" };
  stdout: string;
  stderr: string;
}

export async function runCommand(machine: LabMachine, argv: readonly string[], timeoutMs: number): Promise<CommandResult> {
  const process = await machine.spawn(argv, { env: { PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root" } });
  const stdout: Uint8Array[] = [];
  const stderr: Uint8Array[] = [];
  process.onStdout((chunk) => stdout.push(chunk));
  process.onStderr((chunk) => stderr.push(chunk));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  const ended = await Promise.race([process.exit, timedOut]);
  clearTimeout(timer);
  if (ended === "timeout") {
    process.signal("SIGKILL");
    await process.exit;
  }
  return {
    exit: ended === "timeout" ? { kind: "timeout" } : ended,
    stdout: Buffer.concat(stdout).toString("utf8"),
    stderr: Buffer.concat(stderr).toString("utf8"),
  };
}

export function succeeded(result: CommandResult): boolean {
  return result.exit.kind === "exited" && result.exit.code === 0;
}

export function describeExit(result: CommandResult): string {
  switch (result.exit.kind) {
    case "exited":
      return `exit status ${result.exit.code}`;
    case "signaled":
      return `signal ${result.exit.signal}`;
    case "lost":
      return result.exit.reason;
    case "timeout":
      return "timed out";
  }
}
