// `bpflab shell [-- command...]`: a shell, or one command, in the lab machine. On a terminal
// it is a real terminal there (line editing, Ctrl-C, job control, full-screen programs); with
// piped input it reads lines. Every shell of a lab shares one machine, its lab session.
import { ReadStream, WriteStream } from "node:tty";
import { findLabRoot } from "../lab-session/session-place.ts";
import { joinLabSession, type JoinedSession } from "../lab-session/join-session.ts";
import type { ExitStatus } from "../machine/lab-machine.ts";
import type { BackendChoice } from "../session.ts";
import { labCommand, labShell } from "../shell/lab-shell.ts";
import { attachLines } from "../shell/line-attach.ts";
import { attachTerminal, windowSize } from "../shell/terminal-attach.ts";
import { terminalProgress } from "../ui/progress.ts";
import { chosenLab } from "../../../vm/labs.ts";

function userTerminal(): { input: ReadStream; output: WriteStream } | undefined {
  const { stdin, stdout } = process;
  return stdin instanceof ReadStream && stdout instanceof WriteStream && stdin.isTTY && stdout.isTTY ? { input: stdin, output: stdout } : undefined;
}

function exitCode(status: ExitStatus, sessionLog: string): number {
  switch (status.kind) {
    case "exited":
      return status.code;
    case "signaled":
      return 128 + status.signal;
    case "lost":
      process.stderr.write(`\r\nbpflab: ${status.reason}; a new \`bpflab shell\` starts a fresh lab machine (what happened: ${sessionLog})\n`);
      return 2;
  }
}

export async function shellCommand(command: string[], options: { backend: BackendChoice; lab?: string }): Promise<void> {
  let session: JoinedSession | undefined;
  try {
    session = await joinLabSession(findLabRoot(process.cwd()), chosenLab(options.lab).name, options.backend, terminalProgress());
    const terminal = userTerminal();
    const shape = terminal ? { size: windowSize(terminal.output), term: process.env.TERM || "xterm-256color" } : undefined;
    const { argv, options: spawnOptions } = command.length > 0 ? labCommand(command, shape) : labShell(shape);
    const remote = await session.agent.spawn(argv, spawnOptions);
    if (command.length === 0) {
      const shared = session.joined ? "the lab machine another shell started" : "the lab machine";
      process.stderr.write(`bpflab: a shell in ${shared} (${session.agent.kernelRelease}); exit or Ctrl-D leaves, another \`bpflab shell\` joins\n`);
    }
    process.exitCode = exitCode(terminal ? await attachTerminal(remote, terminal) : await attachLines(remote), session.place.log);
  } catch (error) {
    process.stderr.write(`bpflab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  } finally {
    await session?.agent.close();
  }
}
