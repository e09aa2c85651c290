// The lab session stands in for the agent, so it reads the host's frames and writes the
// agent's: each direction must read back exactly what the other side encodes.
import { describe, expect, it } from "vitest";
import { AgentFrameDecoder, encodeHostFrame, FrameSplitter, ProtocolError, type AgentFrame, type HostFrame } from "../graders/kit/machine/agent/agent-protocol.ts";
import { decodeHostFrame, encodeAgentFrame } from "../graders/kit/machine/agent/agent-side-frames.ts";

function throughTheWire(frame: HostFrame): HostFrame {
  const [raw, ...rest] = new FrameSplitter().push(encodeHostFrame(frame));
  expect(rest).toEqual([]);
  if (!raw) throw new Error("no frame");
  return decodeHostFrame(raw);
}

describe("the agent's side of the frames", () => {
  it("reads back every frame a host sends", () => {
    const frames: HostFrame[] = [
      { type: "spawn", id: 1, argv: ["bpftrace", "-e", "BEGIN { exit(); }"], env: { PATH: "/bin", EMPTY: "", "WITH=": "a=b" }, cwd: "/root", terminal: undefined },
      { type: "spawn", id: 2, argv: ["bash", "-i"], env: {}, cwd: "", terminal: { rows: 40, cols: 120 } },
      { type: "stdin", id: 3, data: Buffer.from([0, 3, 255]) },
      { type: "stdin", id: 3, data: Buffer.alloc(0) },
      { type: "signal", id: 4, signal: 2 },
      { type: "resize", id: 5, size: { rows: 1, cols: 65535 } },
      { type: "writeFile", id: 6, path: "/root/exercises/a.bt", mode: 0o755, data: Buffer.from("kfunc:vfs_open {}\n") },
      { type: "appendFile", id: 7, path: "/tmp/x", data: Buffer.from("more") },
      { type: "readFile", id: 8, path: "/proc/version" },
    ];
    for (const frame of frames) {
      if (frame.type === "spawn" && "WITH=" in frame.env) {
        expect(() => encodeHostFrame(frame)).toThrow("invalid environment variable name");
        continue;
      }
      expect(throughTheWire(frame)).toEqual(frame);
    }
  });

  it("writes every frame as the agent would, so the host's decoder reads it back", () => {
    const frames: AgentFrame[] = [
      { type: "hello", version: "2", kernelRelease: "6.12.117+deb13-cloud-amd64" },
      { type: "heartbeat" },
      { type: "started", id: 1, pid: 4242 },
      { type: "stdout", id: 1, data: Buffer.from("lab:~# ") },
      { type: "stderr", id: 1, data: Buffer.from("oops") },
      { type: "exit", id: 1, status: { kind: "exited", code: 3 } },
      { type: "exit", id: 2, status: { kind: "signaled", signal: 9 } },
      { type: "ok", id: 3 },
      { type: "error", id: 0, message: "the lab machine stopped (qemu exited with status 1)" },
      { type: "data", id: 4, data: Buffer.from([1, 2, 3]) },
    ];
    const decoded = new AgentFrameDecoder().push(Buffer.concat(frames.map(encodeAgentFrame)));
    expect(decoded.map((frame) => ("data" in frame ? { ...frame, data: Buffer.from(frame.data) } : frame))).toEqual(frames);
  });

  it("refuses what the agent would refuse", () => {
    const raw = (type: number, payload: string) => ({ type, id: 9, payload: Buffer.from(payload, "latin1") });
    expect(() => decodeHostFrame(raw(99, ""))).toThrow(new ProtocolError("unknown frame type 99"));
    expect(() => decodeHostFrame(raw(1, "2\0only-one\0"))).toThrow("malformed SPAWN frame");
    expect(() => decodeHostFrame(raw(1, "0\x000\x00\x00"))).toThrow("malformed SPAWN frame");
    expect(() => decodeHostFrame(raw(7, "0\x0080\x001\x00true\x000\x00\x00"))).toThrow("malformed SPAWN_TERMINAL frame");
    expect(() => decodeHostFrame(raw(8, "24\x00"))).toThrow("malformed RESIZE frame");
    expect(() => decodeHostFrame(raw(3, "nine"))).toThrow("not a decimal number");
    expect(() => decodeHostFrame(raw(4, "/tmp/no-mode"))).toThrow("malformed WRITE_FILE frame");
  });
});
