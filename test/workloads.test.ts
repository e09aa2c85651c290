// The workloads, run on this host: they compile, parse their plans, print valid records,
// and the records agree with what /proc, the file system and (when present) strace show.

import { execa } from "execa";
import { randomBytes, randomInt } from "node:crypto";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workloadNames, workloads, type WorkloadName } from "../graders/kit/workloads/catalogue.ts";
import { MissingRecordsError, RecordError, recordsOf, type RecordOf } from "../graders/kit/workloads/workload.ts";

const { unlinker, writer, mapper, kprobeme, contender } = workloads;
type RecordOfWorkload<W extends WorkloadName> = RecordOf<(typeof workloads)[W]>;

/** Throws with the workload's own message if it reported an error, or if its records stop before done. */
function requireDone(records: readonly { op: string; message?: unknown; elapsed_ns?: unknown }[]): { elapsed_ns: number } {
  const failure = records.find((record) => record.op === "error");
  if (failure) throw new Error(`workload failed: ${String(failure.message)}`);
  const last = records.at(-1);
  if (last?.op !== "done" || typeof last.elapsed_ns !== "number") throw new Error(`workload stopped before done; last record: ${JSON.stringify(last)}`);
  return { elapsed_ns: last.elapsed_ns };
}

const workloadsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "workloads");

let binDir = "";
let work = "";

beforeAll(async () => {
  binDir = await mkdtemp(join(tmpdir(), "bpflab-workloads-bin-"));
  work = await mkdtemp(join(tmpdir(), "bpflab-workloads-"));
  await execa(join(workloadsDir, "build.sh"), [binDir]);
}, 180_000);

afterAll(async () => {
  for (const dir of [binDir, work]) if (dir !== "") await rm(dir, { recursive: true, force: true });
});

const hex = (bytes: number): string => randomBytes(bytes).toString("hex");
const hasStrace = ["/usr/bin/strace", "/bin/strace"].some((p) => existsSync(p));

interface Run<W extends WorkloadName> {
  pid: number;
  records: RecordOfWorkload<W>[];
  exitCode: number | undefined;
  stderr: string;
}

/**
 * Runs a workload with the plan on stdin. `watch` sees each record as soon as its line
 * arrives, while the process is still running (for looking at /proc during a pause).
 */
async function run<W extends WorkloadName>(
  workload: W,
  plan: string,
  watch?: (record: RecordOfWorkload<W>, pid: number) => void,
): Promise<Run<W>> {
  const child = execa(join(binDir, workload), [], { input: plan, reject: false });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${workload} did not start`);

  let pending = Buffer.alloc(0);
  let seen = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (let nl = pending.indexOf(10); nl >= 0; nl = pending.indexOf(10)) {
      const line = pending.subarray(0, nl + 1).toString("utf8");
      pending = pending.subarray(nl + 1);
      const [record] = workloads[workload].parse(line, seen++) as RecordOfWorkload<W>[];
      if (record !== undefined) watch?.(record, pid);
    }
  });

  const result = await child;
  return {
    pid,
    records: workloads[workload].parse(String(result.stdout)) as RecordOfWorkload<W>[],
    exitCode: result.exitCode,
    stderr: String(result.stderr),
  };
}

async function runOk<W extends WorkloadName>(
  workload: W,
  plan: string,
  watch?: (record: RecordOfWorkload<W>, pid: number) => void,
): Promise<Run<W>> {
  const result = await run(workload, plan, watch);
  requireDone(result.records);
  expect(result.exitCode).toBe(0);
  expect(result.stderr).toBe("");
  return result;
}

/** The syscalls (strace lines) a workload makes, from after it read its plan. */
async function straced(workload: WorkloadName, plan: string, syscalls: string): Promise<string[]> {
  const out = join(work, `strace-${hex(4)}`);
  await execa("strace", ["-f", "-qq", "-e", `trace=${syscalls}`, "-o", out, join(binDir, workload)], {
    input: plan,
  });
  const lines = (await readFile(out, "utf8")).split("\n").filter((line) => line !== "");
  await rm(out);
  return lines.map((line) => line.replace(/^\d+\s+/, ""));
}

function readComm(pid: number, tid = pid): string {
  return readFileSync(`/proc/${pid}/task/${tid}/comm`, "utf8").trimEnd();
}

async function missing(path: string): Promise<boolean> {
  return stat(path).then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === "ENOENT",
  );
}

describe("build", () => {
  it("builds one static binary per workload", async () => {
    for (const name of workloadNames) {
      const elf = await readFile(join(binDir, name));
      expect(elf.subarray(0, 4).toString("latin1"), name).toBe("\x7fELF");
      // Static: no program header asks for a dynamic loader (PT_INTERP, type 3).
      const phoff = Number(elf.readBigUInt64LE(0x20));
      const phentsize = elf.readUInt16LE(0x36);
      const phnum = elf.readUInt16LE(0x38);
      const types = Array.from({ length: phnum }, (_, i) => elf.readUInt32LE(phoff + i * phentsize));
      expect(types.length, name).toBeGreaterThan(0);
      expect(types, name).not.toContain(3);
    }
  });
});

describe("unlinker", () => {
  it("creates and unlinks the planned files, with comm set", async () => {
    const comm = `ul-${hex(4)}`;
    const dir = join(work, `unl-${hex(4)}`, `parent-${hex(3)}`);
    // Names that need escaping in JSON, and one that is not ASCII.
    const names = [`plain-${hex(4)}`, `q"uo\\te-${hex(2)}`, `caf\u00e9-${hex(2)}`];
    const plan = unlinker.launch({
      comm,
      steps: [
        { op: "pause", us: 500_000 },
        ...names.map((name) => ({ op: "unlink" as const, dir, name })),
      ],
    }).stdin;
    const seenComms: string[] = [];
    const { pid, records } = await runOk("unlinker", plan, (record, pid) => {
      if (record.op === "pause") seenComms.push(readComm(pid));
    });

    expect(seenComms).toEqual([comm]);
    expect(records.map((r) => r.op)).toEqual(["pause", "unlink", "unlink", "unlink", "done"]);
    expect(recordsOf(records, "unlink")).toEqual(
      names.map((name) => ({
        op: "unlink",
        pid,
        path: join(dir, name),
        dir,
        parent: basename(dir),
        name,
        ret: 0,
      })),
    );
    for (const name of names) expect(await missing(join(dir, name))).toBe(true);
    expect((await stat(dir)).isDirectory()).toBe(true);
  });

  it("reports the parent of a directory given with a trailing slash", async () => {
    const dir = join(work, `slash-${hex(4)}`) + "/";
    const { records } = await runOk(
      "unlinker",
      unlinker.launch({ steps: [{ op: "unlink", dir, name: "x" }] }).stdin,
    );
    expect(recordsOf(records, "unlink")[0]?.parent).toBe(basename(dir));
  });

  it("checks the whole plan before doing anything", async () => {
    const dir = join(work, `never-${hex(4)}`);
    const { records, exitCode } = await run("unlinker", `comm ok\nunlink ${dir} a\nbogus 1\n`);
    expect(exitCode).toBe(1);
    expect(records).toEqual([{ op: "error", message: "plan line 3: unknown directive: bogus" }]);
    expect(await missing(dir)).toBe(true);
  });

  it.skipIf(!hasStrace)("uses unlink(2), and neither read(2) nor write(2) for its plumbing", async () => {
    const dir = join(work, `st-${hex(4)}`);
    const lines = await straced(
      "unlinker",
      unlinker.launch({ comm: "st", steps: [{ op: "unlink", dir, name: "victim" }] }).stdin,
      "unlink,unlinkat,read,write",
    );
    expect(lines.filter((l) => /^unlink/.test(l))).toEqual([`unlink("${dir}/victim") = 0`]);
    expect(lines.filter((l) => /^(read\(0|write\(1)/.test(l))).toEqual([]);
  });
});

describe("writer", () => {
  it("makes one write(2) per planned size, to one file", async () => {
    const path = join(work, `w-${hex(4)}`, "out.bin");
    const sizes = [0, randomInt(1, 100), 4096, randomInt(5000, 300_000)];
    const plan = writer.launch({
      comm: `wr-${hex(3)}`,
      steps: [{ op: "file", path }, ...sizes.map((size) => ({ op: "write" as const, size }))],
    }).stdin;
    const { pid, records } = await runOk("writer", plan);

    const writes = recordsOf(records, "write");
    expect(writes.map((w) => [w.count, w.ret])).toEqual(sizes.map((s) => [s, s]));
    const fds = new Set(writes.map((w) => w.fd));
    expect(fds.size).toBe(1);
    expect([...fds][0]).toBeGreaterThanOrEqual(3);
    for (const w of writes) expect(w).toMatchObject({ pid, path });
    expect((await stat(path)).size).toBe(sizes.reduce((a, b) => a + b, 0));
  });

  it("makes noise: COUNT writes of SIZE bytes", async () => {
    const path = join(work, `noise-${hex(4)}`);
    const count = randomInt(5, 30);
    const size = randomInt(1, 5000);
    const { records } = await runOk(
      "writer",
      writer.launch({ comm: "noisy", steps: [{ op: "noise", path, count, size, intervalUs: 100 }] }).stdin,
    );
    expect(recordsOf(records, "noise")).toMatchObject([
      { path, writes: count, size, bytes: count * size },
    ]);
    expect((await stat(path)).size).toBe(count * size);
  });

  it.skipIf(!hasStrace)("its only write(2)s are the planned ones", async () => {
    const path = join(work, `ws-${hex(4)}`);
    const sizes = [randomInt(1, 50), randomInt(50, 5000)];
    const lines = await straced(
      "writer",
      writer.launch({ steps: [{ op: "file", path }, ...sizes.map((size) => ({ op: "write" as const, size }))] }).stdin,
      "write,read",
    );
    expect(lines.map((l) => /^(\w+)\((\d+), .*, (\d+)\)/.exec(l)?.slice(1))).toEqual(
      sizes.map((size) => ["write", "3", String(size)]),
    );
  });
});

describe("mapper", () => {
  it("maps each file through the planned descriptor", async () => {
    const fds = new Set<number>();
    while (fds.size < 4) fds.add(randomInt(5, 61));
    const maps = [...fds].map((fd) => ({
      op: "map" as const,
      path: join(work, `m-${hex(3)}`, `lib${hex(3)}-crack-${hex(2)}.so`),
      size: randomInt(1, 20_000),
      fd,
    }));
    const { pid, records } = await runOk("mapper", mapper.launch({ comm: `map-${hex(3)}`, steps: maps }).stdin);

    expect(recordsOf(records, "mmap")).toEqual(
      maps.map((m) => ({ op: "mmap", pid, fd: m.fd, path: m.path, name: basename(m.path), size: m.size })),
    );
    for (const m of maps) expect((await stat(m.path)).size).toBe(m.size);
  });

  it("handles a descriptor that open() already returned", async () => {
    const path = join(work, `m3-${hex(3)}`);
    const { records } = await runOk("mapper", mapper.launch({ steps: [{ op: "map", path, size: 10, fd: 3 }] }).stdin);
    expect(recordsOf(records, "mmap")).toMatchObject([{ fd: 3, path }]);
  });

  it.skipIf(!hasStrace)("calls mmap(2) with exactly the planned descriptors", async () => {
    const maps = [7, 42, 13].map((fd) => ({
      op: "map" as const,
      path: join(work, `ms-${hex(3)}`),
      size: randomInt(1, 10_000),
      fd,
    }));
    const lines = await straced("mapper", mapper.launch({ steps: maps }).stdin, "mmap");
    expect(lines.filter((l) => /^mmap\(NULL, \d+, PROT_READ, MAP_PRIVATE, \d+, 0\)/.test(l)).map((l) => l.replace(/ = .*/, ""))).toEqual(
      maps.map((m) => `mmap(NULL, ${m.size}, PROT_READ, MAP_PRIVATE, ${m.fd}, 0)`),
    );
  });
});

describe("kprobeme", () => {
  it("opens the file every iteration and leaks exactly every Nth descriptor", async () => {
    const path = join(work, `kp-${hex(3)}`, `secret-${hex(4)}`);
    const iterations = randomInt(8, 16);
    const leakEvery = randomInt(2, 5);
    const size = randomInt(100, 3000);
    const comm = `kp-${hex(3)}`;
    let openAtDone: Map<number, string> | undefined;
    let commAtDone = "";

    const { pid, records } = await runOk(
      "kprobeme",
      kprobeme.launch({ comm, create: [{ path, size }], path, iterations, leakEvery, intervalUs: 500, lingerMs: 1000 }).stdin,
      (record, pid) => {
        if (record.op !== "done") return;
        commAtDone = readComm(pid);
        openAtDone = new Map(
          readdirSync(`/proc/${pid}/fd`)
            .map(Number)
            .filter((fd) => fd > 2)
            .map((fd) => [fd, readlinkSync(`/proc/${pid}/fd/${fd}`)]),
        );
      },
    );

    expect(recordsOf(records, "create")).toEqual([{ op: "create", pid, path, size }]);
    const opens = recordsOf(records, "open");
    // Descriptors are reused until one leaks, then the next lowest number comes up.
    let leaked = 0;
    const expected = Array.from({ length: iterations }, (_, i) => {
      const iteration = i + 1;
      const closed = iteration % leakEvery !== 0;
      const record = { op: "open", pid, iteration, fd: 3 + leaked, path, read: Math.min(1024, size), closed };
      if (!closed) leaked++;
      return record;
    });
    expect(opens).toEqual(expected);

    expect(commAtDone).toBe(comm);
    const leakedFds = opens.filter((o) => !o.closed).map((o) => o.fd);
    expect(openAtDone).toEqual(new Map(leakedFds.map((fd) => [fd, path])));
  });

  it("reads /proc/uptime when told to", async () => {
    const { records } = await runOk("kprobeme", kprobeme.launch({ path: "/proc/uptime", iterations: 3 }).stdin);
    const opens = recordsOf(records, "open");
    expect(opens.map((o) => [o.fd, o.closed])).toEqual([
      [3, true],
      [3, true],
      [3, true],
    ]);
    for (const o of opens) expect(o.read).toBeGreaterThan(0);
  });

  it.skipIf(!hasStrace)("uses the raw open(2) syscall, not openat(2)", async () => {
    const path = join(work, `kps-${hex(3)}`);
    const lines = await straced(
      "kprobeme",
      kprobeme.launch({ comm: "kprobeme", create: [{ path }], path, iterations: 4, leakEvery: 2 }).stdin,
      "open,openat,close",
    );
    expect(lines.filter((l) => l.startsWith("open("))).toEqual([
      `open("${path}", O_RDONLY) = 3`,
      `open("${path}", O_RDONLY) = 3`,
      `open("${path}", O_RDONLY) = 4`,
      `open("${path}", O_RDONLY) = 4`,
    ]);
    // The only openat is the one that creates the file.
    expect(lines.filter((l) => l.startsWith("openat("))).toHaveLength(1);
  });
});

describe("contender", () => {
  it("runs T threads of R pwrites of S bytes, all named after comm", async () => {
    const path = join(work, `ct-${hex(3)}`, "contended");
    const comm = `lk-${hex(3)}`;
    const threads = randomInt(2, 5);
    const bytes = randomInt(64 * 1024, 256 * 1024);
    const rounds = randomInt(5, 20);
    const { pid, records } = await runOk("contender", contender.launch({ comm, file: path, threads, bytes, rounds }).stdin);

    const threadRecords = recordsOf(records, "thread");
    expect(threadRecords).toHaveLength(threads);
    const tids = new Set(threadRecords.map((t) => t.tid));
    expect(tids.size).toBe(threads);
    expect(tids.has(pid)).toBe(false);
    for (const t of threadRecords) expect(t).toMatchObject({ pid, comm, writes: rounds, bytes });
    expect((await stat(path)).size).toBe(bytes);
    expect(requireDone(records).elapsed_ns).toBeGreaterThan(0);
  });

  // The lab machines mount tracefs, and the graders' tests use trace-locks there; on a host
  // without tracefs (or not root) the workload must refuse with a sentence, not crash.
  it("with trace-locks, records its threads' waits from the kernel's lock trace, or says why it cannot", async () => {
    const comm = `lk-${hex(3)}`;
    const plan = contender.launch({ comm, file: join(work, `ct-${hex(3)}`, "contended"), threads: 8, bytes: 1024 * 1024, rounds: 2, traceLocks: true }).stdin;
    const result = await run("contender", plan);
    const tracefs = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"].find((root) => existsSync(join(root, "instances")));
    if (tracefs === undefined || process.getuid?.() !== 0) {
      expect(result.exitCode).toBe(1);
      expect(result.records.at(-1)).toMatchObject({ op: "error", message: expect.stringMatching(/^lock trace: cannot create a tracefs instance under \S+\/instances: /) });
      return;
    }
    expect(result.exitCode, result.stderr).toBe(0);
    for (const wait of recordsOf(result.records, "contention")) {
      expect(wait.lock).toMatch(/^0xff/);
      expect(wait.duration_ns).toBeGreaterThanOrEqual(0);
    }
    expect(readdirSync(join(tracefs, "instances")).filter((name) => name.startsWith(`bpflab-${result.pid}-`))).toEqual([]);
  });
});

describe("records and plans", () => {
  it("names the bad line", () => {
    const stdout = '{"op":"pause","us":1}\n{"op":"unlink","pid":1}\n';
    expect(() => unlinker.parse(stdout)).toThrow(RecordError);
    expect(() => unlinker.parse(stdout)).toThrow(/line 2: .*path/);
    expect(() => unlinker.parse("not json\n")).toThrow(/line 1: not JSON/);
    expect(() => writer.parse('{"op":"mmap","pid":1,"fd":3,"path":"/a","name":"a","size":1}')).toThrow(/line 1/);
  });

  it("defines each workload under its program's name, and every one ends with done", () => {
    for (const name of workloadNames) {
      expect(workloads[name].program).toBe(name);
      expect(workloads[name].parse('{"op":"done","elapsed_ns":5}')).toEqual([{ op: "done", elapsed_ns: 5 }]);
    }
  });

  it("says when records are missing from the middle or the start, by their seq numbers", () => {
    const whole = '{"op":"pause","seq":0,"us":1}\n{"op":"done","seq":1,"elapsed_ns":5}\n';
    expect(unlinker.parse(whole)).toEqual([{ op: "pause", us: 1 }, { op: "done", elapsed_ns: 5 }]);
    expect(() => unlinker.parse('{"op":"pause","seq":0,"us":1}\n{"op":"done","seq":2,"elapsed_ns":5}\n')).toThrow(MissingRecordsError);
    expect(() => unlinker.parse('{"op":"done","seq":1,"elapsed_ns":5}\n')).toThrow(/line 1: record number 1 comes where record 0 belongs/);
    expect(unlinker.parse('{"op":"done","seq":1,"elapsed_ns":5}\n', 1)).toEqual([{ op: "done", elapsed_ns: 5 }]);
  });

  it("requireDone reports the workload's error", () => {
    expect(() => requireDone(unlinker.parse('{"op":"error","message":"boom"}\n'))).toThrow(/workload failed: boom/);
    expect(() => requireDone(unlinker.parse('{"op":"pause","us":1}\n'))).toThrow(/before done/);
  });

  it("rejects plans the workloads would reject", () => {
    expect(() => unlinker.launch({ comm: "0123456789abcdef", steps: [] }).stdin).toThrow(/comm: .*15 bytes/);
    expect(() => unlinker.launch({ steps: [{ op: "unlink", dir: "/tmp/a b", name: "x" }] }).stdin).toThrow(/whitespace/);
    expect(() => unlinker.launch({ steps: [{ op: "unlink", dir: "/tmp", name: "a/b" }] }).stdin).toThrow(/single path/);
    expect(() => writer.launch({ steps: [{ op: "write", size: 1 }] }).stdin).toThrow(/write before any file/);
    expect(() => mapper.launch({ steps: [{ op: "map", path: "/tmp/x", size: 1, fd: 2 }] }).stdin).toThrow(/fd/);
    expect(() => kprobeme.launch({ path: "relative", iterations: 1 }).stdin).toThrow(/absolute/);
  });

  it("renders plans as the workloads read them", () => {
    expect(
      kprobeme.launch({ comm: "kprobeme", create: [{ path: "/tmp/s" }], path: "/tmp/s", iterations: 3, leakEvery: 5 }).stdin,
    ).toBe(
      "comm kprobeme\ncreate /tmp/s 4096\npath /tmp/s\niterations 3\nleak_every 5\ninterval_us 0\nlinger_ms 0\n",
    );
    expect(contender.launch({ file: "/tmp/c", threads: 4, bytes: 1048576, rounds: 8 }).stdin).toBe(
      "file /tmp/c\nthreads 4\nbytes 1048576\nrounds 8\n",
    );
  });
});
