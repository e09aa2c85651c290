// The frames spoken with bpflab-agent, as specified in vm/guest/PROTOCOL.md: encoding of the
// host's frames and an incremental decoder for the agent's.
import type { ExitStatus, WindowSize } from "../lab-machine.ts";

export const MAX_PAYLOAD_BYTES = 1024 * 1024;
export const HEADER_BYTES = 9;
/** The version this side speaks; an agent that says less has no terminals. */
export const PROTOCOL_VERSION = "2";

export const HostFrameType = {
  spawn: 1,
  stdin: 2,
  signal: 3,
  writeFile: 4,
  readFile: 5,
  appendFile: 6,
  spawnTerminal: 7,
  resize: 8,
} as const;

export const AgentFrameType = {
  started: 10,
  stdout: 11,
  stderr: 12,
  exit: 13,
  hello: 14,
  heartbeat: 15,
  ok: 20,
  error: 21,
  data: 22,
} as const;

/** Linux numbering: the agent always runs on Linux, whatever the host is. */
export const SIGNAL_NUMBERS = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as const;

export type HostFrame =
  /** With a terminal, SPAWN_TERMINAL: the process runs on a pseudo-terminal of that size. */
  | { type: "spawn"; id: number; argv: readonly string[]; env: Readonly<Record<string, string>>; cwd: string; terminal?: WindowSize }
  /** An empty payload closes the process's stdin. */
  | { type: "stdin"; id: number; data: Uint8Array }
  | { type: "signal"; id: number; signal: number }
  | { type: "resize"; id: number; size: WindowSize }
  | { type: "writeFile"; id: number; path: string; mode: number; data: Uint8Array }
  | { type: "appendFile"; id: number; path: string; data: Uint8Array }
  | { type: "readFile"; id: number; path: string };

export type ProcessEnd = Exclude<ExitStatus, { kind: "lost" }>;

export type AgentFrame =
  | { type: "started"; id: number; pid: number }
  | { type: "stdout"; id: number; data: Uint8Array }
  | { type: "stderr"; id: number; data: Uint8Array }
  | { type: "exit"; id: number; status: ProcessEnd }
  | { type: "hello"; version: string; kernelRelease: string }
  | { type: "heartbeat" }
  | { type: "ok"; id: number }
  | { type: "error"; id: number; message: string }
  | { type: "data"; id: number; data: Uint8Array };

/** The agent sent something that is not a frame of this protocol. */
export class ProtocolError extends Error {}

export function nulTerminated(strings: readonly string[], what: string): Buffer {
  for (const string of strings) {
    if (string.includes("\0")) throw new Error(`${what} contains a NUL character: ${JSON.stringify(string)}`);
  }
  return Buffer.from(strings.map((string) => `${string}\0`).join(""), "utf8");
}

function windowSizePayload(size: WindowSize): Buffer {
  for (const value of [size.rows, size.cols]) {
    if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`a window size must be 1-65535 rows and columns, not ${size.rows}x${size.cols}`);
  }
  return nulTerminated([String(size.rows), String(size.cols)], "the window size");
}

function spawnPayload(frame: Extract<HostFrame, { type: "spawn" }>): Buffer {
  const environment = Object.entries(frame.env).map(([key, value]) => {
    if (key === "" || key.includes("=")) throw new Error(`invalid environment variable name: ${JSON.stringify(key)}`);
    return `${key}=${value}`;
  });
  return Buffer.concat([
    ...(frame.terminal ? [windowSizePayload(frame.terminal)] : []),
    nulTerminated([String(frame.argv.length), ...frame.argv], "an argument"),
    nulTerminated([String(environment.length), ...environment], "the environment"),
    nulTerminated([frame.cwd], "the working directory"),
  ]);
}

function hostPayload(frame: HostFrame): Uint8Array {
  switch (frame.type) {
    case "spawn":
      return spawnPayload(frame);
    case "stdin":
      return frame.data;
    case "signal":
      return Buffer.from(String(frame.signal), "ascii");
    case "resize":
      return windowSizePayload(frame.size);
    case "writeFile":
      return Buffer.concat([nulTerminated([frame.path, frame.mode.toString(8)], "the path"), frame.data]);
    case "appendFile":
      return Buffer.concat([nulTerminated([frame.path], "the path"), frame.data]);
    case "readFile":
      return nulTerminated([frame.path], "the path");
  }
}

/** Throws if the frame cannot be expressed (payload over 1 MiB, NUL inside a string). */
export function encodeHostFrame(frame: HostFrame): Buffer {
  const payload = hostPayload(frame);
  if (payload.length > MAX_PAYLOAD_BYTES) {
    throw new Error(`a ${frame.type} frame of ${payload.length} bytes is over the agent's 1 MiB limit`);
  }
  const type = frame.type === "spawn" && frame.terminal ? HostFrameType.spawnTerminal : HostFrameType[frame.type];
  return framed(type, frame.id, payload);
}

export function framed(type: number, id: number, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt8(type, 0);
  header.writeUInt32LE(id, 1);
  header.writeUInt32LE(payload.length, 5);
  return Buffer.concat([header, payload]);
}

export function decimal(payload: Buffer, what: string): number {
  const text = payload.toString("ascii");
  if (!/^\d+$/.test(text)) throw new ProtocolError(`${what} is not a decimal number: ${JSON.stringify(text)}`);
  return Number(text);
}

function decodeAgentFrame(type: number, id: number, payload: Buffer): AgentFrame {
  switch (type) {
    case AgentFrameType.started:
      return { type: "started", id, pid: decimal(payload, "the pid in STARTED") };
    case AgentFrameType.stdout:
      return { type: "stdout", id, data: payload };
    case AgentFrameType.stderr:
      return { type: "stderr", id, data: payload };
    case AgentFrameType.exit: {
      if (payload.length !== 8) throw new ProtocolError(`EXIT has ${payload.length} payload bytes instead of 8`);
      const code = payload.readInt32LE(0);
      const signal = payload.readInt32LE(4);
      return { type: "exit", id, status: signal === 0 ? { kind: "exited", code } : { kind: "signaled", signal } };
    }
    case AgentFrameType.hello: {
      const [name, version, kernelRelease] = payload.toString("utf8").split("\0");
      if (name !== "bpflab-agent" || version === undefined || kernelRelease === undefined) {
        throw new ProtocolError(`HELLO does not come from bpflab-agent: ${JSON.stringify(payload.toString("utf8"))}`);
      }
      return { type: "hello", version, kernelRelease };
    }
    case AgentFrameType.heartbeat:
      return { type: "heartbeat" };
    case AgentFrameType.ok:
      return { type: "ok", id };
    case AgentFrameType.error:
      return { type: "error", id, message: payload.toString("utf8") };
    case AgentFrameType.data:
      return { type: "data", id, data: payload };
    default:
      throw new ProtocolError(`unknown frame type ${type}`);
  }
}

export interface RawFrame {
  type: number;
  id: number;
  payload: Buffer;
}

/** Cuts a byte stream of frames, in chunks cut anywhere, into whole frames (either direction). */
export class FrameSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Returns the frames completed by this chunk; throws ProtocolError on an oversized one. */
  push(chunk: Uint8Array): RawFrame[] {
    this.chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.buffered += chunk.byteLength;
    const frames: RawFrame[] = [];
    while (this.buffered >= HEADER_BYTES) {
      const header = this.gather(HEADER_BYTES);
      const length = header.readUInt32LE(5);
      if (length > MAX_PAYLOAD_BYTES) throw new ProtocolError(`a frame of ${length} bytes is over the 1 MiB limit`);
      if (this.buffered < HEADER_BYTES + length) break;
      const frame = this.take(HEADER_BYTES + length);
      frames.push({ type: header.readUInt8(0), id: header.readUInt32LE(1), payload: frame.subarray(HEADER_BYTES) });
    }
    return frames;
  }

  /** Joins chunks as needed so that the first one holds at least `size` bytes. */
  private gather(size: number): Buffer {
    const first = this.chunks[0];
    if (first && first.length >= size) return first;
    const joined = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [joined];
    return joined;
  }

  private take(size: number): Buffer {
    const first = this.gather(size);
    if (first.length === size) this.chunks.shift();
    else this.chunks[0] = first.subarray(size);
    this.buffered -= size;
    return first.subarray(0, size);
  }
}

/** Turns the agent's byte stream, cut anywhere, into frames. */
export class AgentFrameDecoder {
  private readonly splitter = new FrameSplitter();

  /** Returns the frames completed by this chunk; throws ProtocolError on a malformed one. */
  push(chunk: Uint8Array): AgentFrame[] {
    return this.splitter.push(chunk).map((frame) => decodeAgentFrame(frame.type, frame.id, frame.payload));
  }
}
