// The guest agent's terminals (SPAWN_TERMINAL, RESIZE), run locally: the agent is compiled
// for this machine and started with --stdio; the shells are real ones on real pseudo-terminals.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Duplex } from "node:stream";
import { execa } from "execa";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AgentConnection } from "../graders/kit/machine/agent/agent-client.ts";
import { AgentFrameDecoder, framed, type AgentFrame } from "../graders/kit/machine/agent/agent-protocol.ts";
import type { RemoteProcess, WindowSize } from "../graders/kit/machine/lab-machine.ts";

const sourcePath = join(import.meta.dirname, "..", "vm", "guest", "agent.c");
let workDir: string;
let agentBinary: string;
const agents: ChildProcess[] = [];
const leftovers: number[] = [];

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "bpflab-agent-terminal-"));
  agentBinary = join(workDir, "bpflab-agent");
  await execa("gcc", ["-static", "-O2", "-Wall", "-Wextra", "-o", agentBinary, sourcePath]);
});

afterEach(() => {
  for (const pid of leftovers.splice(0)) signalIfRunning(pid, "SIGKILL");
  for (const child of agents.splice(0)) child.kill("SIGKILL");
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function signalIfRunning(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

function startAgentProcess(): ChildProcess {
  const child = spawn(agentBinary, ["--stdio"], { stdio: ["pipe", "pipe", "inherit"] });
  agents.push(child);
  return child;
}

async function startAgent(): Promise<AgentConnection> {
  const child = startAgentProcess();
  if (!child.stdout || !child.stdin) throw new Error("the agent has no stdio pipes");
  return AgentConnection.open(Duplex.from({ readable: child.stdout, writable: child.stdin }), { helloTimeoutMs: 5_000 });
}

interface Terminal {
  process: RemoteProcess;
  screen(): string;
  type(text: string): void;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
}

async function openTerminal(agent: AgentConnection, argv: string[], size: WindowSize = { rows: 30, cols: 100 }): Promise<Terminal> {
  const process = await agent.spawn(argv, {
    terminal: size,
    env: { PATH: "/usr/bin:/bin", TERM: "dumb", PS1: "lab$ " },
    cwd: workDir,
  });
  let output = "";
  process.onStdout((chunk) => (output += Buffer.from(chunk).toString("utf8")));
  const screen = () => output;
  return {
    process,
    screen,
    type: (text) => process.writeStdin(Buffer.from(text, "utf8")),
    async waitFor(pattern, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(screen());
        if (match) return match;
        if (Date.now() > deadline) throw new Error(`${pattern} did not appear within ${timeoutMs} ms; the terminal shows:\n${screen()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

const bash = ["bash", "--norc", "--noprofile", "-i"];

/** pgrp and session of a process, from /proc. */
function groupAndSession(pid: number): { pgrp: number; session: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const [, , pgrp, session] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { pgrp: Number(pgrp), session: Number(session) };
}

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

async function eventually(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("bpflab-agent terminals", () => {
  it("runs a process on a pseudo-terminal of the given size, and resizes it", async () => {
    const agent = await startAgent();
    expect(agent.protocolVersion).toBe("2");
    const terminal = await openTerminal(agent, ["sh", "-c", "[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && tty && stty size; read line; stty size"]);
    await terminal.waitFor(/\/dev\/pts\/\d+\r\n30 100\r\n/);
    terminal.process.resize({ rows: 41, cols: 123 });
    terminal.type("\r");
    await terminal.waitFor(/41 123\r\n/);
    expect(await terminal.process.exit).toEqual({ kind: "exited", code: 0 });
  });

  it("sends Ctrl-C to the foreground job, not the shell", async () => {
    const agent = await startAgent();
    const terminal = await openTerminal(agent, bash);
    await terminal.waitFor(/lab\$ $/);
    terminal.type("sleep 100\r");
    await terminal.waitFor(/sleep 100\r\n/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    terminal.type("\x03");
    await terminal.waitFor(/\^C/);
    terminal.type("echo status=$?\r");
    await terminal.waitFor(/status=130\r\n/);
    terminal.type("\x04");
    expect(await terminal.process.exit).toEqual({ kind: "exited", code: 0 });
  });

  it("gives jobs process groups of their own in the terminal's session, and hangs them up when the shell leaves", async () => {
    const agent = await startAgent();
    const terminal = await openTerminal(agent, bash);
    await terminal.waitFor(/lab\$ $/);
    terminal.type("sleep 101 & echo job=$!\r");
    const job = Number((await terminal.waitFor(/job=(\d+)\r\n/))[1]);
    leftovers.push(job);
    const shell = terminal.process.pid;
    expect(groupAndSession(job)).toEqual({ pgrp: job, session: shell });
    // In a subshell, without job control, the background setsid is no group leader: it does not fork.
    terminal.type("(setsid sleep 102 & echo away=$!)\r");
    const away = Number((await terminal.waitFor(/away=(\d+)\r\n/))[1]);
    leftovers.push(away);
    await eventually(() => groupAndSession(away).session === away, 2_000);
    terminal.type("exit\r");
    expect(await terminal.process.exit).toEqual({ kind: "exited", code: 0 });
    await eventually(() => !isRunning(job), 2_000);
    expect(isRunning(away), "a process that left the session is not the terminal's").toBe(true);
  });

  it("kills the whole terminal session, jobs that ignore SIGHUP included, when the host goes away", async () => {
    const agent = await startAgent();
    const terminal = await openTerminal(agent, bash);
    await terminal.waitFor(/lab\$ $/);
    terminal.type("nohup sleep 103 >/dev/null 2>&1 & echo job=$!\r");
    const job = Number((await terminal.waitFor(/job=(\d+)\r\n/))[1]);
    leftovers.push(job);
    await agent.close();
    await eventually(() => !isRunning(job), 2_000);
  });

  it("answers malformed SPAWN_TERMINAL and RESIZE frames with ERROR", async () => {
    const child = startAgentProcess();
    const decoder = new AgentFrameDecoder();
    const frames: AgentFrame[] = [];
    // Heartbeats, and the EXIT of `true`, may come at any time.
    child.stdout?.on("data", (chunk: Buffer) => frames.push(...decoder.push(chunk).filter((f) => f.type !== "heartbeat" && f.type !== "exit")));
    child.stdin?.write(framed(7, 1, Buffer.from("0\x0080\x001\x00true\x000\x00\x00")));
    child.stdin?.write(framed(7, 2, Buffer.from("1\x00true\x000\x00\x00")));
    child.stdin?.write(framed(8, 3, Buffer.from("24\x00")));
    child.stdin?.write(framed(7, 4, Buffer.from("24\x0080\x001\x00true\x000\x00\x00")));
    await eventually(() => frames.some((f) => f.type === "started"), 5_000);
    expect(frames.map((f) => `${f.type}:${"id" in f ? f.id : 0}`)).toEqual(["hello:0", "error:1", "error:2", "error:3", "started:4"]);
    expect(frames[1]).toMatchObject({ message: "malformed SPAWN_TERMINAL frame" });
    expect(frames[3]).toMatchObject({ message: "malformed RESIZE frame" });
  });
});
