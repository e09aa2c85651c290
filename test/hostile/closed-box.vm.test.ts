// The lab VM is a closed box: a script in it sees its own machine and nothing of the host. On
// the host, the test starts a process with a name of its own and writes a file of its own; in
// the VM, a bpftrace script and a few commands look for them, for a network and for any channel
// to the host, and find none, while the same searches find their guest-side twins (so a search
// that could not have found anything does not pass). One VM, got the way class grading gets it.
// The same script on the host's kernel (the container backend) finds the host's process and
// reads its file: that is why class grading refuses it.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { exercise, pass, task } from "../../graders/kit/exercise.ts";
import { gradeExercise } from "../../graders/kit/grade/grade-exercise.ts";
import { runCommand, type CommandResult } from "../../graders/kit/machine/capabilities/machine-command.ts";
import { containerBackend } from "../../graders/kit/machine/container/container-backend.ts";
import { untrustedSubmissions } from "../../graders/kit/machine/isolation.ts";
import type { LabMachine, RemoteProcess } from "../../graders/kit/machine/lab-machine.ts";
import { LabProvider } from "../../graders/kit/machine/lab-provider.ts";
import { labMachineShape } from "../../graders/kit/machine/vm/vm-backend.ts";
import { backendsFor } from "../../graders/kit/session.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";
import type { LabImage } from "../../vm/image.ts";
import { qemuArguments } from "../../vm/qemu.ts";
import { dockerMissing } from "../backends/docker-available.ts";
import { vfsUnlinkVariant } from "../support/vfs-unlink-variant.ts";
import { z } from "zod";
import { doneRecord } from "../../graders/kit/workloads/common.ts";
import { defineWorkload, recordsOf } from "../../graders/kit/workloads/workload.ts";

const tag = () => randomBytes(3).toString("hex");

/** busybox sh in the lab machine, looking for files that hold each marker in every writable place. */
const searchWorkload = defineWorkload({
  program: "sh",
  plan: z.strictObject({ markers: z.array(z.string().regex(/^[a-z0-9-]+$/)) }),
  render: (plan) => [
    ...plan.markers.map((marker) => `for f in $(grep -rlsF ${marker} /tmp /run /root /var/tmp /dev/shm); do echo "{\\"op\\":\\"found\\",\\"marker\\":\\"${marker}\\",\\"path\\":\\"$f\\"}"; done`),
    `echo '{"op":"done","elapsed_ns":0}'`,
  ],
  records: z.discriminatedUnion("op", [z.strictObject({ op: z.literal("found"), marker: z.string(), path: z.string() }), doneRecord]),
});

/** A process that is scheduled many times a second, under a name (comm) no other has. */
interface Canary {
  comm: string;
  pid: number;
  /** A file only this side has: its path and its content. */
  file: string;
  secret: string;
}

/** On the host: a copy of sh under a unique name, looping on short sleeps, and a file beside it. */
async function startHostCanary(): Promise<Canary & { stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "bpflab-closed-box-"));
  const comm = `bpfhost${tag()}`;
  await copyFile("/bin/sh", join(dir, comm));
  await chmod(join(dir, comm), 0o755);
  const child: ChildProcess = spawn(join(dir, comm), ["-c", "while :; do sleep 0.02; done"], { detached: true, stdio: "ignore" });
  const pid = child.pid!;
  const file = join(dir, `${comm}.txt`);
  const secret = `host-secret-${randomBytes(8).toString("hex")}`;
  await writeFile(file, `${secret}\n`);
  return {
    comm,
    pid,
    file,
    secret,
    async stop() {
      process.kill(-pid, "SIGKILL");
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The same in a lab machine, through the seam. */
async function startGuestCanary(machine: LabMachine): Promise<Canary & { process: RemoteProcess }> {
  const comm = `bpfguest${tag()}`;
  const file = `/root/${comm}.txt`;
  const secret = `guest-secret-${randomBytes(8).toString("hex")}`;
  const written = await runCommand(machine, ["sh", "-c", `cp /bin/sh /tmp/${comm} && echo ${secret} > ${file}`], 10_000);
  expect(written.exit, written.stderr).toEqual({ kind: "exited", code: 0 });
  // Slower than the host's: every fork costs under TCG.
  const process = await machine.spawn([`/tmp/${comm}`, "-c", "while :; do sleep 0.1; done"]);
  return { comm, pid: process.pid, file, secret, process };
}

async function shell(machine: LabMachine, script: string, timeoutMs = 60_000): Promise<CommandResult> {
  const result = await runCommand(machine, ["sh", "-c", script], timeoutMs);
  expect(result.exit, result.stderr).toEqual({ kind: "exited", code: 0 });
  return result;
}

/**
 * A bpftrace script that counts, for three seconds, the context switches of each canary, and
 * cat()s the host's file through the host canary's /proc/PID/root. Removed after the run, so
 * that the file searches do not find the names it holds.
 */
async function traceCanaries(machine: LabMachine, host: Canary, guest: Canary): Promise<{ host: number; guest: number; output: string }> {
  const matches = (comm: string) => `args.prev_comm == "${comm}" || args.next_comm == "${comm}"`;
  const script = [
    `BEGIN { cat("/proc/${host.pid}/root${host.file}"); }`,
    `tracepoint:sched:sched_switch /${matches(host.comm)}/ { @host = count(); }`,
    `tracepoint:sched:sched_switch /${matches(guest.comm)}/ { @guest = count(); }`,
    "interval:s:3 { exit(); }",
  ].join("\n");
  await machine.writeFile("/tmp/closed-box.bt", script, 0o644);
  const run = await runCommand(machine, ["sh", "-c", "bpftrace /tmp/closed-box.bt; status=$?; rm /tmp/closed-box.bt; exit $status"], 120_000);
  expect(run.exit, run.stderr).toEqual({ kind: "exited", code: 0 });
  const count = (map: string) => Number(new RegExp(`^@${map}: (\\d+)$`, "m").exec(run.stdout)?.[1] ?? 0);
  return { host: count("host"), guest: count("guest"), output: run.stdout };
}

describe("the lab VM's qemu command line", () => {
  test("has no default devices, no network, no shared folder, no vsock: one disk (read-only) and the agent's port", () => {
    const image: LabImage = { lab: "trixie", dir: "/c", kernel: "/c/vmlinuz", initramfs: "/c/initramfs.cpio", rootDisk: "/r.ext4", rootfsTar: "/c/rootfs.tar", packages: {} };
    const args = qemuArguments({ image, ...labMachineShape("tcg"), agentSocket: "/run/a.sock" });
    expect(args).toContain("-nodefaults");
    for (const option of ["-net", "-nic", "-netdev", "-virtfs", "-fsdev", "-usb", "-cdrom", "-hda", "-mount"]) expect(args, option).not.toContain(option);
    expect(args.filter((arg) => /net|9p|vsock|virtiofs|vhost|fsdev|usb/i.test(arg))).toEqual([]);
    const devices = args.flatMap((arg, index) => (args[index - 1] === "-device" ? [arg] : []));
    expect(devices).toEqual(["virtio-serial-pci", "virtserialport,chardev=agent,name=bpflab"]);
    expect(args.filter((_, index) => args[index - 1] === "-drive")).toEqual(["file=/r.ext4,if=virtio,format=raw,readonly=on"]);
  });
});

describe("the lab VM, as class grading gets it, is a closed box", () => {
  const provider = new LabProvider(backendsFor("auto"), silentProgress, untrustedSubmissions);
  let machine: LabMachine;
  let host: Awaited<ReturnType<typeof startHostCanary>>;
  let guest: Awaited<ReturnType<typeof startGuestCanary>>;

  beforeAll(async () => {
    const offer = await provider.acquire([]);
    if (offer.kind !== "ready") throw new Error(`no lab machine: ${offer.reason}`);
    expect(offer.machine.info.backend).toBe("vm");
    expect(offer.isolation).toEqual({ kernel: "own", trust: "untrusted" });
    machine = offer.machine;
    host = await startHostCanary();
    guest = await startGuestCanary(machine);
    // The host canary is really there, on the host's kernel, under its name.
    expect((await readFile(`/proc/${host.pid}/comm`, "utf8")).trim()).toBe(host.comm);
  });

  afterAll(async () => {
    guest?.process.signal("SIGKILL");
    await host?.stop();
    await provider.close();
  });

  test("a bpftrace script sees its own machine's processes and none of the host's, and cannot read the host's files", async () => {
    const seen = await traceCanaries(machine, host, guest);
    expect(seen.guest, seen.output).toBeGreaterThan(10);
    expect(seen.host, seen.output).toBe(0);
    expect(seen.output).not.toContain(host.secret);
  });

  test("/proc lists none of the host's processes", async () => {
    const listed = await shell(machine, "cat /proc/[0-9]*/comm 2>/dev/null; cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' '");
    expect(listed.stdout).toContain(guest.comm);
    expect(listed.stdout).not.toContain(host.comm);
  });

  test("no file anywhere in the VM has the host's file's name or content", async () => {
    const hostName = host.comm;
    const guestName = guest.comm;
    const byName = await shell(machine, `find / \\( -path /proc -o -path /sys \\) -prune -o \\( -name '*${hostName}*' -o -name '*${guestName}*' \\) -print`);
    expect(byName.stdout.split("\n").filter(Boolean).sort()).toEqual([guest.file, `/tmp/${guestName}`]);
    // By content, where anything can be written: the root disk is the image, read-only, built
    // before this test wrote its file, and the other mounts are the kernel's own (next test).
    const writable = "/tmp /run /root /var/tmp $(find /dev -type f)";
    const byContent = await shell(machine, `grep -rsoF -e ${host.secret} -e ${guest.secret} ${writable} || true`);
    expect(byContent.stdout.trim()).toBe(`${guest.file}:${guest.secret}`);
  });

  test("no network: no interface but lo, no route, no network device", async () => {
    expect((await shell(machine, "ls /sys/class/net")).stdout.split(/\s+/).filter(Boolean)).toEqual(["lo"]);
    const routes = (await shell(machine, "cat /proc/net/route")).stdout.split("\n").filter((line) => line.trim() && !line.startsWith("Iface"));
    expect(routes).toEqual([]);
    const interfaces = (await shell(machine, "cat /proc/net/dev")).stdout.split("\n").slice(2).filter((line) => line.trim());
    expect(interfaces.map((line) => line.trim().split(":")[0])).toEqual(["lo"]);
    // PCI class 0x02xxxx is a network controller.
    const pciClasses = (await shell(machine, "cat /sys/bus/pci/devices/*/class")).stdout.split(/\s+/).filter(Boolean);
    expect(pciClasses.length).toBeGreaterThan(0);
    expect(pciClasses.filter((pciClass) => pciClass.startsWith("0x02"))).toEqual([]);
  });

  test("no channel to the host but the agent's port: virtio devices are the disk and the console, mounts are the guest's own", async () => {
    // virtio device ids: 1 network, 2 block, 3 console, 9 9p, 19 vsock, 26 virtio-fs.
    const virtio = (await shell(machine, "cat /sys/bus/virtio/devices/*/device")).stdout.split(/\s+/).filter(Boolean).sort();
    expect(virtio).toEqual(["0x0002", "0x0003"]);
    expect((await shell(machine, "cat /sys/class/virtio-ports/*/name")).stdout.trim()).toBe("bpflab");
    expect((await shell(machine, "ls /sys/block")).stdout.trim()).toBe("vda");
    const mounts = (await shell(machine, "cat /proc/mounts")).stdout.split("\n").filter(Boolean).map((line) => line.split(" "));
    expect([...new Set(mounts.map(([, , type]) => type))].sort()).toEqual(["bpf", "debugfs", "devpts", "devtmpfs", "ext4", "proc", "sysfs", "tmpfs", "tracefs"]);
    expect(mounts.find(([, target]) => target === "/")?.[3]?.split(",")).toContain("ro");
  });

  test("memory and processors are the machine's shape", async () => {
    const shape = labMachineShape(machine.info.accelerator === "kvm" ? "kvm" : "tcg");
    const memTotalKb = Number(/^MemTotal:\s+(\d+) kB$/m.exec((await shell(machine, "cat /proc/meminfo")).stdout)?.[1]);
    expect(memTotalKb).toBeGreaterThan(0);
    expect(memTotalKb).toBeLessThanOrEqual(shape.memoryMb * 1024);
    expect(Number((await shell(machine, "grep -c ^processor /proc/cpuinfo")).stdout.trim())).toBe(shape.cpus);
  });

  test("the next submission graded on the machine finds nothing of the one before", async () => {
    const submissions = await mkdtemp(join(tmpdir(), "bpflab-two-students-"));
    const alice = `alice-${randomBytes(8).toString("hex")}`;
    const mallory = `mallory-${randomBytes(8).toString("hex")}`;
    await mkdir(join(submissions, "alice", "vfs-unlink"), { recursive: true });
    await writeFile(join(submissions, "alice", "vfs-unlink", "vfs-unlink.bt"), `// ${alice}\ninterval:s:1 { @ticks = count(); }\n`);
    await mkdir(join(submissions, "mallory", "fget-retval"), { recursive: true });
    await writeFile(join(submissions, "mallory", "fget-retval", "fget-retval.bt"), `// ${mallory}\ninterval:s:1 { @ticks = count(); }\n`);

    const aliceGrade = vfsUnlinkVariant("alice's exercise", {
      name: "vfs-unlink.bt",
      plan: () => null,
      workloads: {},
      launch: () => ({}),
      checks: [{ id: "runs", name: "runs alice's script", points: 1, verify: () => pass }],
    });
    // While mallory's script runs, a workload searches every writable place for both scripts
    // (the root disk is read-only): as a script's cat() could.
    let found: Array<{ marker: string; path: string }> = [];
    const malloryGrade = exercise({
      id: "fget-retval",
      title: "mallory's exercise, graded next on the same machine",
      requires: [],
      tasks: [
        task({
          name: "fget-retval.bt",
          script: "fget-retval.bt",
          output: "text",
          plan: () => null,
          workloads: { search: searchWorkload },
          launch: () => ({ search: { markers: [alice, mallory] } }),
          checks: [{ id: "search", name: "records what the search found", points: 1, verify: ({ records }) => ((found = recordsOf(records.search, "found")), pass) }],
        }),
      ],
    });

    expect(await gradeExercise(aliceGrade, join(submissions, "alice"), provider, { seed: 1 })).toMatchObject({ gradable: true, score: 1 });
    const next = await gradeExercise(malloryGrade, join(submissions, "mallory"), provider, { seed: 2 });
    expect(next, next.reason).toMatchObject({ gradable: true, score: 1, machine: { backend: "vm" } });
    const where = (marker: string) => found.filter((each) => each.marker === marker).map((each) => each.path);
    expect(where(mallory), JSON.stringify(found)).toHaveLength(1);
    expect(where(alice), JSON.stringify(found)).toEqual([]);
    await rm(submissions, { recursive: true, force: true });
  }, 300_000);
});

describe.skipIf(dockerMissing !== undefined)("the same script on the host's kernel (container backend)", () => {
  test("sees the host's process and reads the host's file: why class grading refuses it", async () => {
    const machine = await containerBackend(silentProgress).boot(silentProgress);
    const host = await startHostCanary();
    let guest: Awaited<ReturnType<typeof startGuestCanary>> | undefined;
    try {
      guest = await startGuestCanary(machine);
      const seen = await traceCanaries(machine, host, guest);
      expect(seen.guest, seen.output).toBeGreaterThan(10);
      expect(seen.host, seen.output).toBeGreaterThan(10);
      expect(seen.output).toContain(host.secret);
    } finally {
      guest?.process.signal("SIGKILL");
      await host.stop();
      await machine.close();
    }
  }, 180_000);
});
