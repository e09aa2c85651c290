// `bpflab shell` as a student uses it: typed at in a real terminal (tmux), two at once on one
// lab machine, with bpfhol's kprobeme in one and bpftrace in the other; then every way out
// leaves the terminal as it was and nothing running. One lab session at a time, in the VM.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chosenLab } from "../../vm/labs.ts";
import { markedProcesses, processesWithEnvironment, sessionPlace } from "../../graders/kit/lab-session/session-place.ts";
import { TmuxServer, tmuxMissing, type TmuxWindow } from "../support/tmux.ts";

const bpflab = fileURLToPath(new URL("../../bin/bpflab.js", import.meta.url));
const prompt = /^lab:~# $/m;
const missing = await tmuxMissing();
if (missing) console.warn(`skipping the terminal tests of bpflab shell: ${missing}`);

let lab: string;
let tmux: TmuxServer;
let first: TmuxWindow;
let second: TmuxWindow;

function stty(which: string): string {
  return readFileSync(join(lab, `stty-${which}`), "utf8");
}

/** Starts `bpflab shell` in a window's host shell, noting the terminal settings before and after. */
async function openShell(window: TmuxWindow, name: string, extra = ""): Promise<number> {
  const started = Date.now();
  await window.line(`stty -g > stty-${name}-before; ${extra}node ${bpflab} shell --backend vm; echo "left-with-$?"; stty -g > stty-${name}-after`);
  await window.waitFor(prompt, 120_000);
  return (Date.now() - started) / 1000;
}

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function sessionLeftovers(): number[] {
  return markedProcesses(sessionPlace(lab, chosenLab().name, "vm").key);
}

/** The command name of a running process; "" once it is gone (or a zombie). */
function commandOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state === "Z" ? "" : stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
  } catch {
    return "";
  }
}

describe.skipIf(missing !== undefined)("bpflab shell in a terminal", () => {
  beforeAll(async () => {
    lab = mkdtempSync(join(tmpdir(), "bpflab-shell-lab-"));
    mkdirSync(join(lab, "exercises", "kprobeme"), { recursive: true });
    writeFileSync(
      join(lab, "exercises", "kprobeme", "which-file.bt"),
      'tracepoint:syscalls:sys_enter_open /comm == "kprobeme"/ { printf("kprobeme opens %s\\n", str(args.filename)); exit(); }\n',
    );
    writeFileSync(join(lab, "exercises", "kprobeme", "notes.txt"), "first draft\n");
    tmux = new TmuxServer({ cols: 120, rows: 40 }, process.env.BPFLAB_CACHE ? { BPFLAB_CACHE: process.env.BPFLAB_CACHE } : {});
    first = await tmux.window(lab);
    second = await tmux.window(lab);
  });

  afterAll(async () => {
    await tmux?.close();
    for (const pid of sessionLeftovers()) process.kill(pid, "SIGKILL");
    rmSync(sessionPlace(lab, chosenLab().name, "vm").log, { force: true });
    rmSync(lab, { recursive: true, force: true });
  });

  test("the first shell starts the lab machine, and Enter runs commands there", async () => {
    const seconds = await openShell(first, "first");
    console.log(`bpflab shell: first prompt after ${seconds.toFixed(1)} s (lab session started, machine resumed)`);
    expect(await first.after(() => first.line("echo hi-$((6*7))"), /^hi-42$/m, 10_000)).toBe("hi-42");
    expect(await first.after(() => first.line("uname -r"), /^6\.12\.\S+$/m, 10_000)).toMatch(/cloud-amd64$/);
    const { rows, cols } = await first.size();
    expect(await first.after(() => first.line("stty size"), /^\d+ \d+$/m, 10_000)).toBe(`${rows} ${cols}`);
    expect(await first.after(() => first.line("echo term=$TERM"), /^term=\S+$/m, 10_000)).toBe(`term=${await tmux.term()}`);
    await first.resize({ rows: 30, cols: 100 });
    const resized = await first.size();
    expect(await first.after(() => first.line("stty size"), /^\d+ \d+$/m, 10_000)).toBe(`${resized.rows} ${resized.cols}`);
  });

  test("Ctrl-C stops a running bpftrace, not the shell, and the prompt comes back", async () => {
    await first.after(() => first.line(`bpftrace -e 'interval:s:1 { printf("tick-%d\\n", 7); }'`), /^tick-7$/m, 60_000);
    await first.after(() => first.keys("C-c"), prompt, 15_000);
    expect(await first.after(() => first.line("echo still-here-$?"), /^still-here-\d+$/m, 10_000)).toBe("still-here-0");
  });

  test("the student's exercises/ are in the shell's folder, kept in step with the host", async () => {
    await first.after(() => first.line("cat exercises/kprobeme/notes.txt"), /^first draft$/m, 10_000);
    writeFileSync(join(lab, "exercises", "kprobeme", "notes.txt"), "second draft\n");
    const deadline = Date.now() + 10_000;
    while (!/^second draft$/m.test(await first.screen())) {
      if (Date.now() > deadline) throw new Error(`the edited file did not reach the lab machine:\n${await first.screen()}`);
      await first.line("cat exercises/kprobeme/notes.txt");
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  test("a second shell joins the same machine and sees the first one's processes", async () => {
    await first.line("sleep 1234 &");
    const seconds = await openShell(second, "second");
    console.log(`bpflab shell: a second shell's prompt after ${seconds.toFixed(1)} s (joined the running session)`);
    expect(await second.screen()).toContain("another shell started");
    expect(await second.after(() => second.line("ps -eo args | grep -c '^sleep 1234$'"), /^\d+$/m, 10_000)).toBe("1");
  });

  test("bpfhol starts kprobeme in one shell, and bpftrace in the other sees its open(2) calls", async () => {
    expect(await first.after(() => first.line("bpfhol start kernel"), /^kernel started: .*$/m, 10_000)).toContain("kprobeme");
    const seen = await second.after(() => second.line("bpftrace exercises/kprobeme/which-file.bt"), /^kprobeme opens (\/\S+)$/m, 60_000);
    await second.waitFor(prompt, 10_000);
    const path = seen.replace("kprobeme opens ", "");
    expect(path).toMatch(/^\/(var\/)?tmp\/[a-z]+\/[a-z]+\.[a-z]+$/);
    expect(await first.after(() => first.line("bpfhol status"), /^ {2}kernel +running .*$/m, 10_000)).toBeTruthy();
    expect(await first.screen(), "bpfhol does not tell which file kprobeme opens").not.toContain(path);
  });

  test("piped input and one command after -- still work, on the same machine", async () => {
    const piped = await execa("node", [bpflab, "shell", "--backend", "vm"], { cwd: lab, input: "ps -eo comm | grep -c '^kprobeme$'\n", reject: false });
    expect(piped.stdout.trim(), piped.stderr).toBe("1");
    const one = await execa("node", [bpflab, "shell", "--backend", "vm", "--", "sh", "-c", "uname -r; exit 3"], { cwd: lab, stdin: "ignore", reject: false });
    expect(one.stdout).toMatch(/^6\.12\./);
    expect(one.exitCode).toBe(3);
  });

  test("Ctrl-D and exit leave, the terminals as they were, and then nothing keeps running", async () => {
    await second.after(() => second.keys("C-d"), /^left-with-0$/m, 15_000);
    await first.after(() => first.line("exit"), /^left-with-0$/m, 15_000);
    await first.waitFor(/host\$ $/m, 5_000);
    await second.waitFor(/host\$ $/m, 5_000);
    expect(stty("first-after")).toBe(stty("first-before"));
    expect(stty("second-after")).toBe(stty("second-before"));
    await waitUntil(() => sessionLeftovers().length === 0, 30_000, "the lab session and its qemu did not go away");
  });

  test("a lab session that crashed (SIGKILL) is cleaned up by the next shell: its qemu, its socket", async () => {
    const first = await execa("node", [bpflab, "shell", "--backend", "vm", "--", "true"], { cwd: lab, stdin: "ignore", reject: false });
    expect(first.exitCode, first.stderr).toBe(0);
    const crashed = sessionLeftovers();
    const daemon = crashed.find((pid) => commandOf(pid) === "node");
    const qemu = crashed.find((pid) => commandOf(pid).startsWith("qemu"));
    expect(daemon, "the lab session's daemon").toBeDefined();
    expect(qemu, "the lab session's qemu").toBeDefined();
    process.kill(daemon as number, "SIGKILL");
    await waitUntil(() => commandOf(daemon as number) === "", 5_000, "the daemon did not die");
    expect(existsSync(sessionPlace(lab, chosenLab().name, "vm").socket), "the crashed session left its socket").toBe(true);
    const next = await execa("node", [bpflab, "shell", "--backend", "vm", "--", "uname", "-r"], { cwd: lab, stdin: "ignore", reject: false });
    expect(next.stdout, next.stderr).toMatch(/^6\.12\./);
    expect(commandOf(qemu as number), "the orphaned qemu was stopped").toBe("");
    await waitUntil(() => sessionLeftovers().length === 0, 30_000, "the new lab session did not go away");
  });

  test("SIGTERM to bpflab, and a machine that dies, restore the terminal too", async () => {
    await openShell(first, "dying");
    await openShell(second, "terminated", "BPFLAB_SHELL_TEST=terminated ");
    const [terminated] = processesWithEnvironment("BPFLAB_SHELL_TEST=terminated").filter((pid) => commandOf(pid) === "node");
    expect(terminated).toBeDefined();
    process.kill(terminated as number, "SIGTERM");
    await second.waitFor(/^left-with-143$/m, 10_000);
    const qemu = sessionLeftovers().find((pid) => commandOf(pid).startsWith("qemu"));
    expect(qemu, "the session's qemu").toBeDefined();
    process.kill(qemu as number, "SIGKILL");
    await first.waitFor(/^left-with-2$/m, 20_000);
    expect(await first.screen()).toMatch(/bpflab: the lab machine stopped/);
    await first.waitFor(/host\$ $/m, 5_000);
    expect(stty("terminated-after")).toBe(stty("terminated-before"));
    expect(stty("dying-after")).toBe(stty("dying-before"));
    await waitUntil(() => sessionLeftovers().length === 0, 30_000, "the lab session did not go away after its machine died");
  });
});
