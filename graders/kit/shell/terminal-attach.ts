// Connects the user's terminal to a process running on a terminal in the lab machine: raw
// mode while attached (every key, Ctrl-C included, goes to the lab machine's terminal), the
// window size at start and on every resize, and the user's terminal restored on every way
// out: the process exits, the machine dies, or bpflab itself is told to stop.
import { constants } from "node:os";
import type { ReadStream, WriteStream } from "node:tty";
import type { ExitStatus, RemoteProcess, WindowSize } from "../machine/lab-machine.ts";

export interface UserTerminal {
  input: ReadStream;
  output: WriteStream;
}

/** Signals that end bpflab while attached; in raw mode the keyboard sends none of them. */
const endingSignals = ["SIGTERM", "SIGHUP", "SIGINT"] as const;

export function windowSize(output: WriteStream): WindowSize {
  // A terminal that reports no size (0x0) gets the classic one rather than an unusable one.
  return { rows: output.rows > 0 ? Math.min(output.rows, 65535) : 24, cols: output.columns > 0 ? Math.min(output.columns, 65535) : 80 };
}

/** The window size the process must start with is windowSize(terminal.output). */
export async function attachTerminal(remote: RemoteProcess, terminal: UserTerminal): Promise<ExitStatus> {
  const { input, output } = terminal;
  const restore = () => {
    if (input.isRaw) input.setRawMode(false);
  };
  const onKeys = (chunk: Buffer) => remote.writeStdin(chunk);
  const onResize = () => remote.resize(windowSize(output));
  const onSignal = (signal: (typeof endingSignals)[number]) => {
    restore();
    process.exit(128 + constants.signals[signal]);
  };
  input.setRawMode(true);
  process.on("exit", restore);
  for (const signal of endingSignals) process.on(signal, onSignal);
  output.on("resize", onResize);
  input.on("data", onKeys);
  input.resume();
  remote.onStdout((chunk) => output.write(chunk));
  remote.onStderr((chunk) => output.write(chunk));
  try {
    return await remote.exit;
  } finally {
    input.off("data", onKeys);
    input.pause();
    output.off("resize", onResize);
    for (const signal of endingSignals) process.off(signal, onSignal);
    process.off("exit", restore);
    restore();
  }
}
