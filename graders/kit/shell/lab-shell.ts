// What `bpflab shell` runs in the lab machine, and where: bash on a terminal (line editing,
// history, job control), a plain `sh -i` for piped input, or one command; always in the
// lab home, where the student's exercises/ are.
import type { SpawnOptions, WindowSize } from "../machine/lab-machine.ts";

/** The shell's working directory in the lab machine; exercises/ is copied in here. */
export const labHome = "/root";
/** Installed by vm/recipe/build-image.sh from vm/guest/bashrc. */
const labBashrc = "/etc/bpflab/bashrc";
const path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface LabCommand {
  argv: readonly string[];
  options: SpawnOptions;
}

/** An interactive shell: on a terminal of this size, or over pipes when there is none. */
export function labShell(terminal: { size: WindowSize; term: string } | undefined): LabCommand {
  if (!terminal) {
    return { argv: ["sh", "-i"], options: { stdin: "open", cwd: labHome, env: { PATH: path, HOME: labHome, TERM: "dumb", PS1: "lab# " } } };
  }
  return {
    argv: ["bash", "--noprofile", "--rcfile", labBashrc, "-i"],
    options: { terminal: terminal.size, cwd: labHome, env: { PATH: path, HOME: labHome, TERM: terminal.term, LANG: "C.UTF-8" } },
  };
}

/** One command, as given (no shell in between): on a terminal of this size, or over pipes. */
export function labCommand(argv: readonly string[], terminal: { size: WindowSize; term: string } | undefined): LabCommand {
  const env = { PATH: path, HOME: labHome, TERM: terminal?.term ?? "dumb", LANG: "C.UTF-8" };
  return { argv, options: terminal ? { terminal: terminal.size, cwd: labHome, env } : { stdin: "open", cwd: labHome, env } };
}
