// The other direction of agent-protocol.ts, for a process that stands in for the agent (the
// lab session, which serves several shells from one lab machine): decoding the host's frames
// and encoding the agent's.
import {
  AgentFrameType,
  decimal,
  framed,
  HostFrameType,
  nulTerminated,
  ProtocolError,
  type AgentFrame,
  type HostFrame,
  type RawFrame,
} from "./agent-protocol.ts";
import type { WindowSize } from "../lab-machine.ts";

/** Reads the NUL-terminated strings at the start of a payload, then its remaining bytes. */
class PayloadReader {
  private offset = 0;

  constructor(
    private readonly payload: Buffer,
    private readonly frameName: string,
  ) {}

  string(): string {
    const end = this.payload.indexOf(0, this.offset);
    if (end < 0) throw new ProtocolError(`malformed ${this.frameName} frame`);
    const text = this.payload.toString("utf8", this.offset, end);
    this.offset = end + 1;
    return text;
  }

  count(): number {
    const text = this.string();
    if (!/^\d+$/.test(text)) throw new ProtocolError(`malformed ${this.frameName} frame`);
    return Number(text);
  }

  strings(count: number): string[] {
    return Array.from({ length: count }, () => this.string());
  }

  windowSize(): WindowSize {
    const rows = this.count();
    const cols = this.count();
    if (rows < 1 || rows > 65535 || cols < 1 || cols > 65535) throw new ProtocolError(`malformed ${this.frameName} frame`);
    return { rows, cols };
  }

  rest(): Buffer {
    return this.payload.subarray(this.offset);
  }

  end(): void {
    if (this.offset !== this.payload.length) throw new ProtocolError(`malformed ${this.frameName} frame`);
  }
}

function decodeSpawn(id: number, reader: PayloadReader, terminal: WindowSize | undefined): HostFrame {
  const argv = reader.strings(reader.count());
  if (argv.length === 0) throw new ProtocolError("malformed SPAWN frame");
  const env: Record<string, string> = {};
  for (const entry of reader.strings(reader.count())) {
    const equals = entry.indexOf("=");
    if (equals <= 0) throw new ProtocolError("malformed SPAWN frame");
    env[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  const cwd = reader.string();
  reader.end();
  return { type: "spawn", id, argv, env, cwd, terminal };
}

/** Throws ProtocolError for a frame the agent would answer with ERROR. */
export function decodeHostFrame({ type, id, payload }: RawFrame): HostFrame {
  switch (type) {
    case HostFrameType.spawn:
      return decodeSpawn(id, new PayloadReader(payload, "SPAWN"), undefined);
    case HostFrameType.spawnTerminal: {
      const reader = new PayloadReader(payload, "SPAWN_TERMINAL");
      return decodeSpawn(id, reader, reader.windowSize());
    }
    case HostFrameType.stdin:
      return { type: "stdin", id, data: payload };
    case HostFrameType.signal: {
      const text = payload.at(-1) === 0 ? payload.subarray(0, -1) : payload;
      return { type: "signal", id, signal: decimal(text, "the signal in SIGNAL") };
    }
    case HostFrameType.resize: {
      const reader = new PayloadReader(payload, "RESIZE");
      const size = reader.windowSize();
      reader.end();
      return { type: "resize", id, size };
    }
    case HostFrameType.writeFile: {
      const reader = new PayloadReader(payload, "WRITE_FILE");
      const path = reader.string();
      const mode = reader.string();
      if (!path || !/^[0-7]{1,4}$/.test(mode)) throw new ProtocolError("malformed WRITE_FILE frame");
      return { type: "writeFile", id, path, mode: parseInt(mode, 8), data: reader.rest() };
    }
    case HostFrameType.appendFile: {
      const reader = new PayloadReader(payload, "APPEND_FILE");
      const path = reader.string();
      if (!path) throw new ProtocolError("malformed APPEND_FILE frame");
      return { type: "appendFile", id, path, data: reader.rest() };
    }
    case HostFrameType.readFile: {
      const reader = new PayloadReader(payload, "READ_FILE");
      const path = reader.string();
      reader.end();
      if (!path) throw new ProtocolError("malformed READ_FILE frame");
      return { type: "readFile", id, path };
    }
    default:
      throw new ProtocolError(`unknown frame type ${type}`);
  }
}

function agentPayload(frame: AgentFrame): Uint8Array {
  switch (frame.type) {
    case "started":
      return Buffer.from(String(frame.pid), "ascii");
    case "stdout":
    case "stderr":
    case "data":
      return frame.data;
    case "exit": {
      const payload = Buffer.alloc(8);
      payload.writeInt32LE(frame.status.kind === "exited" ? frame.status.code : -1, 0);
      payload.writeInt32LE(frame.status.kind === "signaled" ? frame.status.signal : 0, 4);
      return payload;
    }
    case "hello":
      return nulTerminated(["bpflab-agent", frame.version, frame.kernelRelease], "HELLO");
    case "heartbeat":
    case "ok":
      return new Uint8Array(0);
    case "error":
      return Buffer.from(frame.message, "utf8");
  }
}

export function encodeAgentFrame(frame: AgentFrame): Buffer {
  const id = frame.type === "hello" || frame.type === "heartbeat" ? 0 : frame.id;
  return framed(AgentFrameType[frame.type], id, agentPayload(frame));
}
