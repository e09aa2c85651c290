// The seam between grading and "where the kernel is". A VM, a container and the host all
// look like this; nothing above this file knows which one it is talking to.

export type BackendName = "vm" | "container" | "host";

export interface WindowSize {
  rows: number;
  cols: number;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  cwd?: string;
  /**
   * Bytes written to the process's stdin, which is then closed; omit for an empty stdin.
   * "open" keeps stdin open for writeStdin (an interactive shell).
   */
  stdin?: string | Uint8Array | "open";
  /**
   * Runs the process on a pseudo-terminal of this size instead of pipes (stdin is then
   * open, stderr comes through onStdout): a terminal's Ctrl-C, job control and full-screen
   * programs work, with the bytes a terminal sends written to writeStdin.
   */
  terminal?: WindowSize;
}

export type ExitStatus =
  | { kind: "exited"; code: number }
  | { kind: "signaled"; signal: number }
  /** The machine went away (crash, panic, channel lost) before the process ended. */
  | { kind: "lost"; reason: string };

export interface RemoteProcess {
  readonly pid: number;
  /**
   * Called for every chunk, in order, as it arrives. Chunks already received are replayed;
   * for an interactive process (stdin "open" or a terminal), which may run for hours, only
   * to its first listener, and none are kept after that.
   */
  onStdout(listener: (chunk: Uint8Array) => void): void;
  onStderr(listener: (chunk: Uint8Array) => void): void;
  /** Only for processes spawned with stdin "open" or a terminal; ignored after endStdin. */
  writeStdin(data: Uint8Array): void;
  endStdin(): void;
  /** The new window size of a terminal process; ignored for others. */
  resize(size: WindowSize): void;
  /** Signals the whole process group of the spawned command. */
  signal(signal: "SIGINT" | "SIGTERM" | "SIGKILL"): void;
  /** Resolves once the process has exited and all its output has been delivered. */
  readonly exit: Promise<ExitStatus>;
}

export interface MachineInfo {
  backend: BackendName;
  /** "kvm" or "tcg" for the vm backend, "none" elsewhere. */
  accelerator: "kvm" | "tcg" | "none";
  kernelRelease: string;
  /** The lab whose image it runs (vm/labs/<lab>.json); none on the host backend. */
  lab?: string;
  /** Package name -> version, for the transcript and the report. */
  packages: Record<string, string>;
}

export interface LabMachine {
  readonly info: MachineInfo;
  spawn(argv: readonly string[], options?: SpawnOptions): Promise<RemoteProcess>;
  writeFile(path: string, data: string | Uint8Array, mode?: number): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  /** Why the machine is unusable, once it is (guest panic, agent silent, qemu exited). */
  readonly failure: string | undefined;
  close(): Promise<void>;
}
