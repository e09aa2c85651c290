// `bpflab shell`: a shell in the lab machine for exploring with `bpftrace -l` and `-lv`.
// It is line-based (pipes, not a terminal): no job control, no line editing.
import { sharedLabProvider, type BackendChoice } from "../session.ts";
import { terminalProgress } from "../ui/progress.ts";
import { chosenLab } from "../../../vm/labs.ts";

export async function shellCommand(options: { backend: BackendChoice; lab?: string }): Promise<void> {
  const provider = sharedLabProvider(options.backend, terminalProgress(), chosenLab(options.lab));
  try {
    const offer = await provider.acquire([]);
    if (offer.kind === "unavailable") throw new Error(`no lab machine: ${offer.reason}`);
    const shell = await offer.machine.spawn(["sh", "-i"], {
      stdin: "open",
      cwd: "/root",
      env: { PATH: "/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", HOME: "/root", TERM: "dumb", PS1: "lab# " },
    });
    const lab = offer.machine.info.lab ? `the ${offer.machine.info.lab} lab machine` : "the lab machine";
    process.stderr.write(`bpflab: shell in ${lab} (${offer.machine.info.kernelRelease}); exit or Ctrl-D leaves\n`);
    shell.onStdout((chunk) => process.stdout.write(chunk));
    shell.onStderr((chunk) => process.stderr.write(chunk));
    const interrupt = () => shell.signal("SIGINT");
    process.on("SIGINT", interrupt);
    process.stdin.on("data", (chunk: Buffer) => shell.writeStdin(chunk));
    process.stdin.on("end", () => shell.endStdin());
    await shell.exit;
    process.off("SIGINT", interrupt);
    process.stdin.pause();
  } catch (error) {
    process.stderr.write(`bpflab: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  } finally {
    await provider.close();
  }
}
