// Connects bpflab's own stdin and stdout to a process in the lab machine through pipes, for
// input that is not a terminal (`printf 'uname -r\n' | bpflab shell`): lines in, output out,
// Ctrl-C on bpflab interrupts the process.
import type { ExitStatus, RemoteProcess } from "../machine/lab-machine.ts";

export async function attachLines(remote: RemoteProcess): Promise<ExitStatus> {
  const interrupt = () => remote.signal("SIGINT");
  const onInput = (chunk: Buffer) => remote.writeStdin(chunk);
  const onEnd = () => remote.endStdin();
  process.on("SIGINT", interrupt);
  process.stdin.on("data", onInput);
  process.stdin.on("end", onEnd);
  remote.onStdout((chunk) => process.stdout.write(chunk));
  remote.onStderr((chunk) => process.stderr.write(chunk));
  try {
    return await remote.exit;
  } finally {
    process.off("SIGINT", interrupt);
    process.stdin.off("data", onInput);
    process.stdin.off("end", onEnd);
    process.stdin.pause();
  }
}
