// `bpflab shell [-- command...]`: a shell, or one command, in the lab machine. On a terminal
// it is a real terminal there (line editing, Ctrl-C, job control, full-screen programs); with
// piped input it reads lines.
import { ReadStream, WriteStream } from "node:tty";
import type { ExitStatus } from "../machine/lab-machine.ts";
import { sharedLabProvider, type BackendChoice } from "../session.ts";
import { labCommand, labShell } from "../shell/lab-shell.ts";
import { attachLines } from "../shell/line-attach.ts";
import { attachTerminal, windowSize } from "../shell/terminal-attach.ts";
import { terminalProgress } from "../ui/progress.ts";

function userTerminal(): { input: ReadStream; output: WriteStream } | undefined {
  const { stdin, stdout } = process;
  return stdin instanceof ReadStream && stdout instanceof WriteStream && stdin.isTTY && stdout.isTTY ? { input: stdin, output: stdout } : undefined;
}

function exitCode(status: ExitStatus): number {
  switch (status.kind) {
    case "exited":
      return status.code;
    case "signaled":
      return 128 + status.signal;
    case "lost":
      process.stderr.write(`\r\nbpflab: ${status.reason}\n`);
      return 2;
  }
}

export async function shellCommand(command: string[], options: { backend: BackendChoice }): Promise<void> {
  const provider = sharedLabProvider(options.backend, terminalProgress());
  try {
    const offer = await provider.acquire([]);
    if (offer.kind === "unavailable") throw new Error(`no lab machine: ${offer.reason}`);
    const terminal = userTerminal();
    const shape = terminal ? { size: windowSize(terminal.output), term: process.env.TERM ?? "xterm-256color" } : undefined;
    const { argv, options: spawnOptions } = command.length > 0 ? labCommand(command, shape) : labShell(shape);
    const remote = await offer.machine.spawn(argv, spawnOptions);
    if (command.length === 0) {
      process.stderr.write(`bpflab: shell in the lab machine (${offer.machine.info.kernelRelease}); exit or Ctrl-D leaves\n`);
    }
    process.exitCode = exitCode(terminal ? await attachTerminal(remote, terminal) : await attachLines(remote));
  } catch (error) {
    process.stderr.write(`bpflab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  } finally {
    await provider.close();
  }
}
