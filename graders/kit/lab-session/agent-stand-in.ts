// Speaks the agent's side of the protocol (vm/guest/PROTOCOL.md) to one client, carrying out
// its requests on a LabMachine: how several shells share the one lab machine of a lab session.
// The client is an ordinary AgentConnection and cannot tell it from the agent itself.
import type { Socket } from "node:net";
import { FrameSplitter, PROTOCOL_VERSION, ProtocolError, SIGNAL_NUMBERS, type AgentFrame, type HostFrame } from "../machine/agent/agent-protocol.ts";
import { decodeHostFrame, encodeAgentFrame } from "../machine/agent/agent-side-frames.ts";
import type { LabMachine, RemoteProcess } from "../machine/lab-machine.ts";

const heartbeatMs = 1_000;
const readChunkBytes = 512 * 1024;

const signalNames = new Map(Object.entries(SIGNAL_NUMBERS).map(([name, number]) => [number, name as keyof typeof SIGNAL_NUMBERS]));

export interface StandIn {
  /** Resolves once the client is gone and everything it started has been told to stop. */
  readonly closed: Promise<void>;
  /** Tells the client why it is being dropped (an ERROR with id 0), then drops it. */
  drop(reason: string): void;
}

export function serveClient(socket: Socket, machine: LabMachine): StandIn {
  const splitter = new FrameSplitter();
  /** By the client's id; a promise, so that STDIN sent right behind SPAWN waits for it. */
  const processes = new Map<number, Promise<RemoteProcess | undefined>>();
  /** File requests run one after another: APPEND_FILE must follow its WRITE_FILE. */
  let files: Promise<void> = Promise.resolve();

  const send = (frame: AgentFrame) => {
    if (!socket.destroyed) socket.write(encodeAgentFrame(frame));
  };
  const heartbeat = setInterval(() => send({ type: "heartbeat" }), heartbeatMs);
  const closed = new Promise<void>((resolve) => {
    socket.once("close", () => {
      clearInterval(heartbeat);
      for (const started of processes.values()) void started.then((process) => process?.signal("SIGKILL"));
      processes.clear();
      resolve();
    });
  });
  socket.on("error", () => socket.destroy());

  async function spawn(frame: Extract<HostFrame, { type: "spawn" }>): Promise<RemoteProcess | undefined> {
    try {
      const process = await machine.spawn(frame.argv, { env: { ...frame.env }, cwd: frame.cwd, terminal: frame.terminal, stdin: "open" });
      send({ type: "started", id: frame.id, pid: process.pid });
      process.onStdout((data) => send({ type: "stdout", id: frame.id, data }));
      process.onStderr((data) => send({ type: "stderr", id: frame.id, data }));
      void process.exit.then((status) => {
        processes.delete(frame.id);
        // A lost process means a lost machine: the session drops every shell, with the
        // machine's own account of what happened (qemu's exit says more than a closed socket).
        if (status.kind !== "lost") send({ type: "exit", id: frame.id, status });
      });
      return process;
    } catch (error) {
      processes.delete(frame.id);
      send({ type: "error", id: frame.id, message: messageOf(error) });
      return undefined;
    }
  }

  function onProcess(id: number, action: (process: RemoteProcess) => void): void {
    void processes.get(id)?.then((process) => process && action(process));
  }

  function fileRequest(id: number, work: () => Promise<void>): void {
    files = files.then(work).then(
      () => send({ type: "ok", id }),
      (error: unknown) => send({ type: "error", id, message: messageOf(error) }),
    );
  }

  async function append(path: string, data: Uint8Array): Promise<void> {
    const appender = await machine.spawn(["sh", "-c", '[ -f "$1" ] && cat >> "$1"', "append", path], { stdin: data });
    const status = await appender.exit;
    if (status.kind !== "exited" || status.code !== 0) throw new Error(`cannot append to ${path}`);
  }

  async function read(id: number, path: string): Promise<void> {
    const data = await machine.readFile(path);
    for (let offset = 0; offset < data.length; offset += readChunkBytes) {
      send({ type: "data", id, data: data.subarray(offset, offset + readChunkBytes) });
    }
  }

  function handle(frame: HostFrame): void {
    switch (frame.type) {
      case "spawn":
        if (processes.has(frame.id)) send({ type: "error", id: frame.id, message: `process id ${frame.id} is already in use` });
        else processes.set(frame.id, spawn(frame));
        return;
      case "stdin":
        onProcess(frame.id, (process) => (frame.data.length > 0 ? process.writeStdin(frame.data) : process.endStdin()));
        return;
      case "signal": {
        const name = signalNames.get(frame.signal as 2 | 9 | 15);
        if (name) onProcess(frame.id, (process) => process.signal(name));
        else send({ type: "error", id: frame.id, message: `signal ${frame.signal} cannot be sent through a lab session` });
        return;
      }
      case "resize":
        onProcess(frame.id, (process) => process.resize(frame.size));
        return;
      case "writeFile":
        fileRequest(frame.id, () => machine.writeFile(frame.path, frame.data, frame.mode));
        return;
      case "appendFile":
        fileRequest(frame.id, () => append(frame.path, frame.data));
        return;
      case "readFile":
        fileRequest(frame.id, () => read(frame.id, frame.path));
        return;
    }
  }

  function drop(reason: string): void {
    send({ type: "error", id: 0, message: reason });
    socket.end();
  }

  socket.on("data", (chunk: Buffer) => {
    let frames;
    try {
      frames = splitter.push(chunk);
    } catch (error) {
      drop(`the lab session could not read a frame: ${messageOf(error)}`);
      return;
    }
    for (const raw of frames) {
      try {
        handle(decodeHostFrame(raw));
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        send({ type: "error", id: raw.id, message: error.message });
      }
    }
  });
  send({ type: "hello", version: PROTOCOL_VERSION, kernelRelease: machine.info.kernelRelease });
  return { closed, drop };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
