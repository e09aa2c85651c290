// The guest agent (vm/guest/agent.c) and its host-side client, run locally: the agent is
// compiled once and started with --stdio (or --listen) on this machine.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { release, tmpdir } from "node:os";
import { join } from "node:path";
import { Duplex, PassThrough } from "node:stream";
import { execa } from "execa";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AgentConnection, type AgentConnectionOptions } from "../graders/kit/machine/agent/agent-client.ts";
import { AgentFrameDecoder, encodeHostFrame, type AgentFrame } from "../graders/kit/machine/agent/agent-protocol.ts";
import type { ExitStatus, RemoteProcess, SpawnOptions } from "../graders/kit/machine/lab-machine.ts";

const sourcePath = join(import.meta.dirname, "..", "vm", "guest", "agent.c");
let workDir: string;
let agentBinary: string;

interface LocalAgent {
  child: ChildProcess;
  stream: Duplex;
  connection: AgentConnection;
}

const agents: ChildProcess[] = [];
const remotePids: number[] = [];

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "bpflab-agent-test-"));
  agentBinary = join(workDir, "bpflab-agent");
  const build = await execa("gcc", ["-static", "-O2", "-Wall", "-Wextra", "-o", agentBinary, sourcePath]);
  expect(build.stderr, "the agent compiles without warnings").toBe("");
});

afterEach(() => {
  // Leave nothing behind: process groups the tests started, then the agents themselves.
  for (const pid of remotePids.splice(0)) killGroup(pid);
  for (const child of agents.splice(0)) {
    child.kill("SIGCONT");
    child.kill("SIGKILL");
  }
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function startAgentProcess(args: string[]): ChildProcess {
  const child = spawn(agentBinary, args, { stdio: ["pipe", "pipe", "inherit"] });
  agents.push(child);
  return child;
}

async function startAgent(options: AgentConnectionOptions = {}): Promise<LocalAgent> {
  const child = startAgentProcess(["--stdio"]);
  if (!child.stdout || !child.stdin) throw new Error("the agent has no stdio pipes");
  const stream = Duplex.from({ readable: child.stdout, writable: child.stdin });
  const connection = await AgentConnection.open(stream, { helloTimeoutMs: 5_000, ...options });
  return { child, stream, connection };
}

interface Collected {
  readonly process: RemoteProcess;
  stdout(): string;
  stderr(): string;
  /** Output in arrival order, tagged with the stream it came on. */
  readonly events: string[];
}

async function spawnCollecting(agent: AgentConnection, argv: string[], options?: SpawnOptions): Promise<Collected> {
  const process = await agent.spawn(argv, options);
  remotePids.push(process.pid);
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  const events: string[] = [];
  process.onStdout((chunk) => {
    stdout.push(Buffer.from(chunk));
    events.push(`out:${Buffer.from(chunk).toString()}`);
  });
  process.onStderr((chunk) => {
    stderr.push(Buffer.from(chunk));
    events.push(`err:${Buffer.from(chunk).toString()}`);
  });
  return {
    process,
    stdout: () => Buffer.concat(stdout).toString(),
    stderr: () => Buffer.concat(stderr).toString(),
    events,
  };
}

async function run(agent: AgentConnection, argv: string[], options?: SpawnOptions) {
  const collected = await spawnCollecting(agent, argv, options);
  const status = await collected.process.exit;
  return { status, stdout: collected.stdout(), stderr: collected.stderr(), events: collected.events };
}

async function eventually(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Gone, or a zombie nobody has reaped yet: either way it no longer runs. */
function processIsGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

function peakMemoryKib(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match?.[1]) throw new Error(`no VmHWM for ${pid}`);
  return Number(match[1]);
}

function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

describe("agent frame decoder", () => {
  const frame = (type: number, id: number, payload: Uint8Array) => {
    const header = Buffer.alloc(9);
    header.writeUInt8(type, 0);
    header.writeUInt32LE(id, 1);
    header.writeUInt32LE(payload.length, 5);
    return Buffer.concat([header, payload]);
  };
  const exitPayload = Buffer.alloc(8);
  exitPayload.writeInt32LE(-1, 0);
  exitPayload.writeInt32LE(9, 4);
  const stream = Buffer.concat([
    frame(11, 3, Buffer.from("hello")),
    frame(15, 0, Buffer.alloc(0)),
    frame(12, 3, randomBytes(70_000)),
    frame(13, 3, exitPayload),
  ]);

  it("decodes several frames from one chunk", () => {
    const frames = new AgentFrameDecoder().push(stream);
    expect(frames.map((f) => f.type)).toEqual(["stdout", "heartbeat", "stderr", "exit"]);
    expect(frames[3]).toEqual({ type: "exit", id: 3, status: { kind: "signaled", signal: 9 } });
  });

  it("decodes frames cut anywhere", () => {
    // Payloads compared by hash: deep equality of large byte arrays is slow.
    const summary = (frames: AgentFrame[]) => frames.map((f) => ("data" in f ? { ...f, data: sha256(f.data) } : f));
    const whole = summary(new AgentFrameDecoder().push(stream));
    for (const cut of [1, 2, 5, 9, 10, 14, 1000, 70_013, stream.length - 1]) {
      const decoder = new AgentFrameDecoder();
      const frames = [...decoder.push(stream.subarray(0, cut)), ...decoder.push(stream.subarray(cut))];
      expect(summary(frames), `cut at ${cut}`).toEqual(whole);
    }
    const byteByByte = new AgentFrameDecoder();
    const frames: AgentFrame[] = [];
    for (const byte of stream) frames.push(...byteByByte.push(Uint8Array.of(byte)));
    expect(summary(frames)).toEqual(whole);
  });
});

describe("bpflab-agent over --stdio", () => {
  it("says HELLO with the kernel release", async () => {
    const { connection } = await startAgent();
    expect(connection.kernelRelease).toBe(release());
    expect(connection.protocolVersion).toBe("2");
    expect(connection.failure).toBeUndefined();
  });

  it("streams stdout and stderr in order, and the exit comes after all output", async () => {
    const { connection } = await startAgent();
    const result = await run(connection, ["sh", "-c", "echo a; sleep 0.5; echo b >&2; sleep 0.5; echo c; exit 3"]);
    expect(result.events).toEqual(["out:a\n", "err:b\n", "out:c\n"]);
    expect(result.status).toEqual({ kind: "exited", code: 3 });
  });

  it("reports exit codes", async () => {
    const { connection } = await startAgent();
    expect((await run(connection, ["true"])).status).toEqual({ kind: "exited", code: 0 });
    expect((await run(connection, ["sh", "-c", "exit 255"])).status).toEqual({ kind: "exited", code: 255 });
  });

  it("replays earlier output to listeners that register late", async () => {
    const { connection } = await startAgent();
    const process = await connection.spawn(["sh", "-c", "echo one; echo two >&2"]);
    await process.exit;
    const stdout: string[] = [];
    const stderr: string[] = [];
    process.onStdout((chunk) => stdout.push(Buffer.from(chunk).toString()));
    process.onStderr((chunk) => stderr.push(Buffer.from(chunk).toString()));
    expect(stdout.join("")).toBe("one\n");
    expect(stderr.join("")).toBe("two\n");
  });

  it("delivers SIGINT and reports the process as signaled", async () => {
    const { connection } = await startAgent();
    const sleeper = await spawnCollecting(connection, ["sleep", "100"]);
    sleeper.process.signal("SIGINT");
    expect(await sleeper.process.exit).toEqual({ kind: "signaled", signal: 2 });
  });

  it("signals the whole process group", async () => {
    const { connection } = await startAgent();
    const shell = await spawnCollecting(connection, ["sh", "-c", "sleep 100 & echo $!; wait"]);
    await eventually(() => shell.stdout().endsWith("\n"), 5_000);
    const sleepPid = Number(shell.stdout().trim());
    expect(processIsGone(sleepPid)).toBe(false);
    const signaledAt = Date.now();
    shell.process.signal("SIGTERM");
    expect(await shell.process.exit).toEqual({ kind: "signaled", signal: 15 });
    // Had only the shell died, the sleep would have held the pipe open for the 2 s grace.
    expect(Date.now() - signaledAt).toBeLessThan(1_500);
    await eventually(() => processIsGone(sleepPid), 2_000);
  });

  it("turns a failed exec or chdir into an error, and keeps working", async () => {
    const { connection } = await startAgent();
    await expect(connection.spawn(["bpflab-no-such-command"])).rejects.toThrow(
      "cannot run bpflab-no-such-command: No such file or directory",
    );
    await expect(connection.spawn(["/nonexistent/tool"])).rejects.toThrow("No such file or directory");
    await expect(connection.spawn(["true"], { cwd: "/nonexistent-dir" })).rejects.toThrow(
      "cannot change directory to /nonexistent-dir",
    );
    await expect(connection.spawn(["bad\0arg"])).rejects.toThrow("NUL");
    expect((await run(connection, ["echo", "still here"])).stdout).toBe("still here\n");
  });

  it("delivers stdin, small and large, then closes it", async () => {
    const { connection } = await startAgent();
    expect((await run(connection, ["cat"], { stdin: "line one\nline two\n" })).stdout).toBe("line one\nline two\n");
    expect((await run(connection, ["cat"])).stdout).toBe("");
    const big = randomBytes(3 * 1024 * 1024);
    const hasher = createHash("sha256");
    const cat = await connection.spawn(["cat"], { stdin: big });
    let received = 0;
    cat.onStdout((chunk) => {
      received += chunk.length;
      hasher.update(chunk);
    });
    expect(await cat.exit).toEqual({ kind: "exited", code: 0 });
    expect(received).toBe(big.length);
    expect(hasher.digest("hex")).toBe(sha256(big));
  });

  it("keeps stdin open for an interactive process until the host ends it", async () => {
    const { connection } = await startAgent();
    const cat = await spawnCollecting(connection, ["cat"], { stdin: "open" });
    cat.process.writeStdin(Buffer.from("first\n"));
    await eventually(() => cat.stdout() === "first\n", 5_000);
    cat.process.writeStdin(Buffer.from("second\n"));
    cat.process.endStdin();
    expect(await cat.process.exit).toEqual({ kind: "exited", code: 0 });
    expect(cat.stdout()).toBe("first\nsecond\n");
  });

  it("runs with exactly the given environment, looking up the command on a default PATH", async () => {
    const { connection } = await startAgent();
    expect((await run(connection, ["env"], { env: { A: "1", B: "two words" } })).stdout).toBe("A=1\nB=two words\n");
    expect((await run(connection, ["env"])).stdout).toBe("");
    await expect(connection.spawn(["sh", "-c", "true"], { env: { PATH: "/nowhere" } })).rejects.toThrow("cannot run sh");
  });

  it("runs in the given working directory, / by default", async () => {
    const { connection } = await startAgent();
    expect((await run(connection, ["pwd"], { cwd: workDir })).stdout).toBe(`${realpathSync(workDir)}\n`);
    expect((await run(connection, ["pwd"])).stdout).toBe("/\n");
  });

  it("writes and reads files: binary, 3 MiB, with parents and mode", async () => {
    const { connection } = await startAgent();
    const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
    const nested = join(workDir, "made", "by", "agent", "bytes.bin");
    await connection.writeFile(nested, everyByte, 0o640);
    expect(statSync(nested).mode & 0o7777).toBe(0o640);
    expect(readFileSync(nested)).toEqual(Buffer.from(everyByte));
    expect(Buffer.from(await connection.readFile(nested))).toEqual(Buffer.from(everyByte));

    const big = randomBytes(3 * 1024 * 1024 + 17);
    const bigPath = join(workDir, "big.bin");
    await connection.writeFile(bigPath, big);
    expect(sha256(readFileSync(bigPath))).toBe(sha256(big));
    expect(statSync(bigPath).mode & 0o7777).toBe(0o644);
    const readBack = await connection.readFile(bigPath);
    expect(readBack.length).toBe(big.length);
    expect(sha256(readBack)).toBe(sha256(big));

    await connection.writeFile(bigPath, "");
    expect(statSync(bigPath).size).toBe(0);
    expect((await connection.readFile(bigPath)).length).toBe(0);
    expect(Buffer.from(await connection.readFile("/proc/self/comm")).toString()).toBe("bpflab-agent\n");
  });

  it("reports file errors", async () => {
    const { connection } = await startAgent();
    await expect(connection.readFile(join(workDir, "missing"))).rejects.toThrow("No such file or directory");
    await expect(connection.writeFile("/proc/version/impossible", "x")).rejects.toThrow();
    await expect(connection.readFile(workDir)).rejects.toThrow("Is a directory");
  });

  it("carries a 50 MB output flood intact", async () => {
    const { child, connection } = await startAgent();
    const line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\n";
    const size = 50_000_000;
    const started = performance.now();
    const flood = await connection.spawn(["sh", "-c", `yes ${line.trim()} | head -c ${size}`]);
    const hasher = createHash("sha256");
    let received = 0;
    flood.onStdout((chunk) => {
      received += chunk.length;
      hasher.update(chunk);
    });
    expect(await flood.exit).toEqual({ kind: "exited", code: 0 });
    const seconds = (performance.now() - started) / 1000;
    console.log(`flood: ${size / 1e6} MB in ${seconds.toFixed(2)} s, ${(size / 1e6 / seconds).toFixed(0)} MB/s`);
    expect(received).toBe(size);
    expect(hasher.digest("hex")).toBe(sha256(Buffer.alloc(size, line)));
    expect(peakMemoryKib(child.pid ?? 0)).toBeLessThan(24 * 1024);
  });

  it("stops reading a flood while the host does not keep up, instead of buffering it", async () => {
    const { child, stream, connection } = await startAgent();
    const size = 50_000_000;
    const flood = await connection.spawn(["head", "-c", String(size), "/dev/zero"]);
    let received = 0;
    let nonZero = 0;
    flood.onStdout((chunk) => {
      received += chunk.length;
      for (const byte of chunk) nonZero |= byte;
    });
    stream.pause();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const peakWhilePaused = peakMemoryKib(child.pid ?? 0);
    expect(received).toBeLessThan(size);
    stream.resume();
    expect(await flood.exit).toEqual({ kind: "exited", code: 0 });
    expect(received).toBe(size);
    expect(nonZero).toBe(0);
    expect(peakWhilePaused).toBeLessThan(24 * 1024);
    expect(peakMemoryKib(child.pid ?? 0)).toBeLessThan(24 * 1024);
  });

  it("sends EXIT 2 s after the exit when a background child holds the pipes open", async () => {
    const { connection } = await startAgent();
    const started = Date.now();
    const result = await run(connection, ["sh", "-c", "sleep 30 & echo started"]);
    const elapsed = Date.now() - started;
    expect(result.status).toEqual({ kind: "exited", code: 0 });
    expect(result.stdout).toBe("started\n");
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(5_000);
  });

  it("runs processes concurrently", async () => {
    const { connection } = await startAgent();
    const script = 'for i in 1 2 3; do echo "$0-$i"; sleep 0.5; done; exit "$0"';
    const started = Date.now();
    const results = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((n) => run(connection, ["sh", "-c", script, String(n)])));
    // Sequentially they would take 8 x 1.5 s.
    expect(Date.now() - started).toBeLessThan(6_000);
    results.forEach((result, index) => {
      const n = index + 1;
      expect(result.stdout).toBe(`${n}-1\n${n}-2\n${n}-3\n`);
      expect(result.status).toEqual({ kind: "exited", code: n });
    });
  });

  it("stays healthy while idle: heartbeats keep coming", async () => {
    const { connection } = await startAgent({ heartbeatTimeoutMs: 3_000 });
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(connection.failure).toBeUndefined();
    expect((await run(connection, ["echo", "ok"])).stdout).toBe("ok\n");
  });

  it("answers malformed frames with ERROR and stays in sync", async () => {
    const child = startAgentProcess(["--stdio"]);
    if (!child.stdout || !child.stdin) throw new Error("the agent has no stdio pipes");
    const decoder = new AgentFrameDecoder();
    const frames: AgentFrame[] = [];
    child.stdout.on("data", (chunk: Buffer) => frames.push(...decoder.push(chunk).filter((f) => f.type !== "heartbeat")));
    const raw = (type: number, id: number, payload: Uint8Array) => {
      const header = Buffer.alloc(9);
      header.writeUInt8(type, 0);
      header.writeUInt32LE(id, 1);
      header.writeUInt32LE(payload.length, 5);
      child.stdin?.write(Buffer.concat([header, payload]));
    };
    raw(99, 1, Buffer.from("what"));
    raw(1, 2, Buffer.from("2\0only-one-arg\0"));
    raw(1, 3, Buffer.from("x"));
    raw(3, 4, Buffer.from("nine"));
    raw(4, 5, Buffer.from("/tmp/no-mode"));
    raw(5, 6, Buffer.alloc(2 * 1024 * 1024, 7)); // over the limit: skipped whole
    child.stdin.write(encodeHostFrame({ type: "writeFile", id: 7, path: join(workDir, "sync"), mode: 0o600, data: Buffer.from("in sync") }));
    await eventually(() => frames.some((f) => f.type === "ok"), 5_000);
    expect(frames.map((f) => (f.type === "error" || f.type === "ok" ? `${f.type}:${f.id}` : f.type))).toEqual([
      "hello",
      "error:1",
      "error:2",
      "error:3",
      "error:4",
      "error:5",
      "error:6",
      "ok:7",
    ]);
    expect(readFileSync(join(workDir, "sync"), "utf8")).toBe("in sync");
    expect(frames[1]).toMatchObject({ message: "unknown frame type 99" });
  });

  it("rejects open when no HELLO comes", async () => {
    await expect(AgentConnection.open(new PassThrough(), { helloTimeoutMs: 200 })).rejects.toThrow(
      "did not say HELLO within 0.2 s",
    );
  });

  it("when the agent dies: running processes are lost, requests fail, failure is set", async () => {
    const { child, connection } = await startAgent({ heartbeatTimeoutMs: 5_000 });
    const sleeper = await spawnCollecting(connection, ["sleep", "100"]);
    const failures: string[] = [];
    connection.onFailure((reason) => failures.push(reason));
    const killedAt = Date.now();
    child.kill("SIGKILL");
    const status = await sleeper.process.exit;
    expect(Date.now() - killedAt).toBeLessThan(2_000);
    expect(status.kind).toBe("lost");
    expect(connection.failure).toMatch(/agent closed the connection|connection to the lab machine's agent/);
    expect(failures).toEqual([connection.failure]);
    await expect(connection.spawn(["true"])).rejects.toThrow(connection.failure);
    // The agent's children die with it, so nothing keeps tracing after a crash.
    await eventually(() => processIsGone(sleeper.process.pid), 2_000);
  });

  it("notices a frozen agent (SIGSTOP) by the missing heartbeat", async () => {
    const { child, connection } = await startAgent({ heartbeatTimeoutMs: 1_500 });
    const sleeper = await connection.spawn(["sleep", "100"]);
    remotePids.push(sleeper.pid);
    const stoppedAt = Date.now();
    child.kill("SIGSTOP");
    const read = connection.readFile("/proc/version");
    const status: ExitStatus = await sleeper.exit;
    const detectedAfter = Date.now() - stoppedAt;
    const reason = "the lab machine stopped answering (no heartbeat for 1.5 s)";
    expect(status).toEqual({ kind: "lost", reason });
    expect(connection.failure).toBe(reason);
    await expect(read).rejects.toThrow(reason);
    expect(detectedAfter).toBeGreaterThanOrEqual(500);
    expect(detectedAfter).toBeLessThan(3_000);
  });

  it("kills what is running when the host closes the channel, and exits", async () => {
    const { child, connection } = await startAgent();
    const sleeper = await spawnCollecting(connection, ["sh", "-c", "sleep 100 & echo $!; wait"]);
    await eventually(() => sleeper.stdout().endsWith("\n"), 5_000);
    const grandchild = Number(sleeper.stdout().trim());
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await connection.close();
    expect(await sleeper.process.exit).toMatchObject({ kind: "lost" });
    expect(connection.failure).toBeUndefined();
    expect(await exited).toBe(0);
    await eventually(() => processIsGone(grandchild), 2_000);
  });
});

describe("bpflab-agent over --listen", () => {
  async function connectTo(path: string): Promise<Socket> {
    await eventually(() => existsSync(path), 5_000);
    return await new Promise<Socket>((resolve, reject) => {
      const socket = connect(path);
      socket.once("connect", () => resolve(socket));
      socket.once("error", reject);
    });
  }

  it("serves one connection after another, killing the previous one's processes", async () => {
    const socketPath = join(workDir, "agent.sock");
    startAgentProcess(["--listen", socketPath]);

    const first = await AgentConnection.open(await connectTo(socketPath), { helloTimeoutMs: 5_000 });
    expect((await run(first, ["echo", "first"])).stdout).toBe("first\n");
    const sleeper = await spawnCollecting(first, ["sh", "-c", "sleep 100 & echo $!; wait"]);
    await eventually(() => sleeper.stdout().endsWith("\n"), 5_000);
    const grandchild = Number(sleeper.stdout().trim());
    await first.close();
    await eventually(() => processIsGone(sleeper.process.pid) && processIsGone(grandchild), 3_000);

    const second = await AgentConnection.open(await connectTo(socketPath), { helloTimeoutMs: 5_000 });
    expect(second.kernelRelease).toBe(release());
    expect((await run(second, ["echo", "second"])).stdout).toBe("second\n");
    await second.close();
  });
});
