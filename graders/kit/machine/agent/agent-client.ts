// The host's side of a connection to bpflab-agent: runs processes and moves files through
// one byte stream (a virtio-serial socket, a unix socket, or the agent's stdio), and notices
// when the lab machine stops answering.
import { performance } from "node:perf_hooks";
import type { Duplex } from "node:stream";
import {
  AgentFrameDecoder,
  encodeHostFrame,
  MAX_PAYLOAD_BYTES,
  PROTOCOL_VERSION,
  SIGNAL_NUMBERS,
  type AgentFrame,
  type HostFrame,
  type ProcessEnd,
} from "./agent-protocol.ts";
import type { ExitStatus, RemoteProcess, SpawnOptions, WindowSize } from "../lab-machine.ts";

export interface AgentConnectionOptions {
  /** How long to wait for the agent's HELLO. Default 30 s. */
  helloTimeoutMs?: number;
  /** How long the agent may stay silent (it sends a heartbeat every second). Default 10 s. */
  heartbeatTimeoutMs?: number;
}

// Files travel in pieces well under the frame limit, leaving room for the path.
const FILE_CHUNK_BYTES = 512 * 1024;

type PendingRequest =
  | { kind: "spawn"; stdinOpen: boolean; terminal: boolean; resolve: (process: AgentProcess) => void; reject: (error: Error) => void }
  | { kind: "ok"; resolve: () => void; reject: (error: Error) => void }
  | { kind: "read"; chunks: Uint8Array[]; resolve: (data: Uint8Array) => void; reject: (error: Error) => void };

/**
 * Output chunks kept for listeners that register late: for every listener, or, for an
 * interactive process that may print for hours, only until the first one registers.
 */
class ReplayedChunks {
  private chunks: Uint8Array[] | undefined = [];
  private readonly listeners: ((chunk: Uint8Array) => void)[] = [];

  constructor(private readonly replayToFirstOnly: boolean) {}

  listen(listener: (chunk: Uint8Array) => void): void {
    for (const chunk of this.chunks ?? []) listener(chunk);
    this.listeners.push(listener);
    if (this.replayToFirstOnly) this.chunks = undefined;
  }

  push(chunk: Uint8Array): void {
    this.chunks?.push(chunk);
    for (const listener of this.listeners) listener(chunk);
  }
}

interface ProcessChannel {
  signal(signal: number): void;
  stdin(data: Uint8Array): void;
  resize(size: WindowSize): void;
}

class AgentProcess implements RemoteProcess {
  readonly exit: Promise<ExitStatus>;
  readonly stdout: ReplayedChunks;
  readonly stderr: ReplayedChunks;
  private resolveExit: (status: ExitStatus) => void = () => undefined;

  private stdinOpen: boolean;

  constructor(
    readonly pid: number,
    private readonly channel: ProcessChannel,
    private readonly mode: { stdinOpen: boolean; terminal: boolean },
  ) {
    this.stdinOpen = mode.stdinOpen;
    this.stdout = new ReplayedChunks(mode.stdinOpen);
    this.stderr = new ReplayedChunks(mode.stdinOpen);
    this.exit = new Promise((resolve) => {
      this.resolveExit = resolve;
    });
  }

  onStdout(listener: (chunk: Uint8Array) => void): void {
    this.stdout.listen(listener);
  }

  onStderr(listener: (chunk: Uint8Array) => void): void {
    this.stderr.listen(listener);
  }

  writeStdin(data: Uint8Array): void {
    if (!this.stdinOpen) return;
    for (const chunk of chunksOf(data, MAX_PAYLOAD_BYTES)) if (chunk.length > 0) this.channel.stdin(chunk);
  }

  endStdin(): void {
    if (!this.stdinOpen) return;
    this.stdinOpen = false;
    this.channel.stdin(new Uint8Array(0));
  }

  resize(size: WindowSize): void {
    if (this.mode.terminal) this.channel.resize(size);
  }

  signal(signal: "SIGINT" | "SIGTERM" | "SIGKILL"): void {
    this.channel.signal(SIGNAL_NUMBERS[signal]);
  }

  finish(status: ExitStatus): void {
    this.resolveExit(status);
  }
}

interface Hello {
  version: string;
  kernelRelease: string;
}

function formatSeconds(ms: number): string {
  return `${ms / 1000} s`;
}

/** Reads frames until HELLO; returns it with whatever frames followed it in the same chunk. */
function waitForHello(
  stream: Duplex,
  decoder: AgentFrameDecoder,
  timeoutMs: number,
): Promise<{ hello: Hello; rest: AgentFrame[] }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    // The end, close and error listeners stay attached but do nothing once settled: an error
    // emitted before the connection attaches its own listener must not go unhandled.
    const finish = (error: Error | undefined, result?: { hello: Hello; rest: AgentFrame[] }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Paused, so that no chunk flows by before the connection listens.
      stream.pause();
      stream.off("data", onData);
      if (result) resolve(result);
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      let frames: AgentFrame[];
      try {
        frames = decoder.push(chunk);
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const [first, ...rest] = frames;
      if (!first) return;
      if (first.type !== "hello") {
        finish(new Error(`the lab machine's agent sent ${first.type} before HELLO`));
        return;
      }
      finish(undefined, { hello: { version: first.version, kernelRelease: first.kernelRelease }, rest });
    };
    const onEnd = () => finish(new Error("the connection to the lab machine's agent closed before its HELLO"));
    const onError = (error: Error) => finish(new Error(`the connection to the lab machine's agent failed: ${error.message}`));
    const timer = setTimeout(
      () => finish(new Error(`the lab machine's agent did not say HELLO within ${formatSeconds(timeoutMs)}`)),
      timeoutMs,
    );
    stream.on("data", onData);
    stream.once("end", onEnd);
    stream.once("close", onEnd);
    stream.on("error", onError);
  });
}

export class AgentConnection {
  readonly kernelRelease: string;
  readonly protocolVersion: string;
  private failureReason: string | undefined;
  private closed = false;
  private nextId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly processes = new Map<number, AgentProcess>();
  private readonly failureListeners: ((reason: string) => void)[] = [];
  private lastHeardAt = performance.now();
  private watchdog: NodeJS.Timeout | undefined;

  /** Waits for the agent's HELLO on the stream; rejects (and destroys the stream) if it does not come. */
  static async open(stream: Duplex, options: AgentConnectionOptions = {}): Promise<AgentConnection> {
    const decoder = new AgentFrameDecoder();
    let greeting: { hello: Hello; rest: AgentFrame[] };
    try {
      greeting = await waitForHello(stream, decoder, options.helloTimeoutMs ?? 30_000);
    } catch (error) {
      stream.destroy();
      throw error;
    }
    const connection = new AgentConnection(stream, decoder, greeting.hello, options.heartbeatTimeoutMs ?? 10_000);
    connection.handleFrames(greeting.rest);
    return connection;
  }

  private constructor(
    private readonly stream: Duplex,
    private readonly decoder: AgentFrameDecoder,
    hello: Hello,
    private readonly heartbeatTimeoutMs: number,
  ) {
    this.kernelRelease = hello.kernelRelease;
    this.protocolVersion = hello.version;
    stream.on("data", (chunk: Buffer) => this.receive(chunk));
    stream.on("end", () => this.fail("the lab machine's agent closed the connection"));
    stream.on("close", () => this.fail("the connection to the lab machine's agent was closed"));
    stream.on("error", (error: Error) => this.fail(`the connection to the lab machine's agent failed: ${error.message}`));
    stream.resume();
    this.armWatchdog(heartbeatTimeoutMs);
    if (stream.destroyed) this.fail("the connection to the lab machine's agent was closed");
  }

  /** Why the connection is unusable; undefined while it works (and after a deliberate close). */
  get failure(): string | undefined {
    return this.failureReason;
  }

  /** Called once when the connection fails; at once if it already has. */
  onFailure(listener: (reason: string) => void): void {
    if (this.failureReason !== undefined) listener(this.failureReason);
    else this.failureListeners.push(listener);
  }

  /**
   * Declares the connection failed, e.g. when the backend learns that the machine crashed.
   * The first reason sticks. Pending requests reject and running processes end as "lost".
   */
  fail(reason: string): void {
    if (this.failureReason !== undefined || this.closed) return;
    this.failureReason = reason;
    this.abandonEverything(reason);
    for (const listener of this.failureListeners.splice(0)) listener(reason);
  }

  spawn(argv: readonly string[], options: SpawnOptions = {}): Promise<RemoteProcess> {
    const id = this.nextId++;
    const terminal = options.terminal;
    const stdinOpen = options.stdin === "open" || terminal !== undefined;
    const started = new Promise<AgentProcess>((resolve, reject) => {
      if (terminal && Number(this.protocolVersion) < Number(PROTOCOL_VERSION)) {
        reject(new Error(`the lab machine's agent speaks protocol ${this.protocolVersion}, which has no terminals: rebuild the lab image (delete its folder in the bpflab cache)`));
        return;
      }
      const frame: HostFrame = { type: "spawn", id, argv, env: options.env ?? {}, cwd: options.cwd ?? "", terminal };
      if (!this.sendRequest(frame, { kind: "spawn", stdinOpen, terminal: terminal !== undefined, resolve, reject })) return;
      // Sent right behind SPAWN: the agent handles frames in order, and drops them if the spawn fails.
      if (stdinOpen) return;
      const stdin = typeof options.stdin === "string" ? Buffer.from(options.stdin, "utf8") : options.stdin;
      if (stdin && stdin.length > 0) {
        for (const chunk of chunksOf(stdin, MAX_PAYLOAD_BYTES)) this.send({ type: "stdin", id, data: chunk });
      }
      this.send({ type: "stdin", id, data: new Uint8Array(0) });
    });
    return started;
  }

  async writeFile(path: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    // WRITE_FILE creates the file with the first chunk; APPEND_FILE adds the others in order.
    const answers = chunksOf(bytes, FILE_CHUNK_BYTES).map(
      (chunk, index) =>
        new Promise<void>((resolve, reject) => {
          const id = this.nextId++;
          const frame: HostFrame =
            index === 0
              ? { type: "writeFile", id, path, mode, data: chunk }
              : { type: "appendFile", id, path, data: chunk };
          this.sendRequest(frame, { kind: "ok", resolve, reject });
        }),
    );
    await Promise.all(answers);
  }

  readFile(path: string): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.sendRequest({ type: "readFile", id, path }, { kind: "read", chunks: [], resolve, reject });
    });
  }

  /** Closes the stream; the agent then kills what is still running. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.abandonEverything("the connection to the lab machine was closed");
    this.closed = true;
    this.stream.destroy();
  }

  /** Sends a request and registers its answer handler; returns false if it could not be sent. */
  private sendRequest(frame: HostFrame, pending: PendingRequest): boolean {
    const unusable = this.unusableReason();
    if (unusable !== undefined) {
      pending.reject(new Error(unusable));
      return false;
    }
    let bytes: Buffer;
    try {
      bytes = encodeHostFrame(frame);
    } catch (error) {
      pending.reject(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
    this.pending.set(frame.id, pending);
    this.stream.write(bytes);
    return true;
  }

  private send(frame: HostFrame): void {
    if (this.unusableReason() === undefined) this.stream.write(encodeHostFrame(frame));
  }

  private unusableReason(): string | undefined {
    if (this.closed) return "the connection to the lab machine is closed";
    return this.failureReason;
  }

  private receive(chunk: Buffer): void {
    if (this.unusableReason() !== undefined) return;
    this.lastHeardAt = performance.now();
    let frames: AgentFrame[];
    try {
      frames = this.decoder.push(chunk);
    } catch (error) {
      this.fail(`the lab machine's agent sent garbage: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.handleFrames(frames);
  }

  private handleFrames(frames: readonly AgentFrame[]): void {
    for (const frame of frames) this.handleFrame(frame);
  }

  private handleFrame(frame: AgentFrame): void {
    switch (frame.type) {
      case "hello":
      case "heartbeat":
        return;
      case "stdout":
        this.processes.get(frame.id)?.stdout.push(frame.data);
        return;
      case "stderr":
        this.processes.get(frame.id)?.stderr.push(frame.data);
        return;
      case "exit":
        this.processExited(frame.id, frame.status);
        return;
      case "data": {
        const pending = this.pending.get(frame.id);
        if (pending?.kind === "read") pending.chunks.push(frame.data);
        return;
      }
      case "error":
        // Id 0 is no request: a lab session standing in for the agent says why it gives up.
        if (frame.id === 0) this.fail(frame.message);
        else this.answer(frame);
        return;
      case "started":
      case "ok":
        this.answer(frame);
        return;
    }
  }

  private processExited(id: number, status: ProcessEnd): void {
    const process = this.processes.get(id);
    if (!process) return;
    this.processes.delete(id);
    process.finish(status);
  }

  private answer(frame: Extract<AgentFrame, { type: "started" | "ok" | "error" }>): void {
    const pending = this.pending.get(frame.id);
    if (!pending) return;
    this.pending.delete(frame.id);
    if (frame.type === "error") {
      pending.reject(new Error(frame.message));
      return;
    }
    switch (pending.kind) {
      case "spawn": {
        if (frame.type !== "started") break;
        const id = frame.id;
        const process = new AgentProcess(
          frame.pid,
          {
            signal: (signal) => this.send({ type: "signal", id, signal }),
            stdin: (data) => this.send({ type: "stdin", id, data }),
            resize: (size) => this.send({ type: "resize", id, size }),
          },
          { stdinOpen: pending.stdinOpen, terminal: pending.terminal },
        );
        this.processes.set(frame.id, process);
        pending.resolve(process);
        return;
      }
      case "ok":
        if (frame.type !== "ok") break;
        pending.resolve();
        return;
      case "read":
        if (frame.type !== "ok") break;
        pending.resolve(Buffer.concat(pending.chunks));
        return;
    }
    this.fail(`the lab machine's agent answered a ${pending.kind} request with ${frame.type}`);
  }

  private abandonEverything(reason: string): void {
    clearTimeout(this.watchdog);
    const pending = [...this.pending.values()];
    const processes = [...this.processes.values()];
    this.pending.clear();
    this.processes.clear();
    for (const request of pending) request.reject(new Error(reason));
    for (const process of processes) process.finish({ kind: "lost", reason });
  }

  private armWatchdog(delayMs: number): void {
    // The hop through setImmediate lets I/O that is already waiting be read first, so that a
    // host event loop that was busy for a while is not mistaken for a silent agent.
    this.watchdog = setTimeout(() => setImmediate(() => this.checkHeartbeat()), delayMs);
    this.watchdog.unref();
  }

  private checkHeartbeat(): void {
    if (this.unusableReason() !== undefined) return;
    const silentMs = performance.now() - this.lastHeardAt;
    if (silentMs >= this.heartbeatTimeoutMs) {
      this.fail(`the lab machine stopped answering (no heartbeat for ${formatSeconds(this.heartbeatTimeoutMs)})`);
    } else {
      this.armWatchdog(this.heartbeatTimeoutMs - silentMs);
    }
  }
}

/** Splits data into pieces of at most `size` bytes; always at least one piece. */
function chunksOf(data: Uint8Array, size: number): Uint8Array[] {
  const chunks = [data.subarray(0, size)];
  for (let offset = size; offset < data.length; offset += size) chunks.push(data.subarray(offset, offset + size));
  return chunks;
}
