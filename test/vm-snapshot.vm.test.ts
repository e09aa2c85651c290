// A lab machine is saved once after boot and resumed afterwards (about a second instead of
// seven under TCG). Resumed machines must be as good as booted ones, and a saved state that
// does not resume must cost a boot, never a grade.
import { stat, writeFile } from "node:fs/promises";
import { describe, expect, test } from "vitest";
import { runCommand } from "../graders/kit/machine/capabilities/machine-command.ts";
import type { LabMachine } from "../graders/kit/machine/lab-machine.ts";
import { labMachineShape, vmBackend } from "../graders/kit/machine/vm/vm-backend.ts";
import { silentProgress, type Progress } from "../graders/kit/ui/progress.ts";
import { chooseAccelerator } from "../vm/accel.ts";
import { ensureLabImage } from "../vm/image.ts";
import { snapshotFile } from "../vm/snapshot.ts";
import { qemuArguments, saveStateUri } from "../vm/qemu.ts";

function recordingProgress(): Progress & { lines: string[] } {
  const lines: string[] = [];
  const record = (text: string) => void lines.push(text);
  return { lines, step: record, done: record, fail: record };
}

async function shell(machine: LabMachine, command: string): Promise<string> {
  const result = await runCommand(machine, ["sh", "-c", command], 30_000);
  expect(result.exit, result.stderr).toEqual({ kind: "exited", code: 0 });
  return result.stdout;
}

async function currentSnapshot(): Promise<string> {
  const image = await ensureLabImage(silentProgress);
  return snapshotFile(image, labMachineShape((await chooseAccelerator(image, silentProgress)).accelerator));
}

describe("the saved lab machine", () => {
  test("resumes as a fresh machine: nothing left from earlier machines, and the host's clock", async () => {
    await vmBackend().boot(silentProgress).then((machine) => shell(machine, "touch /tmp/left-behind").finally(() => machine.close()));
    const progress = recordingProgress();
    const machine = await vmBackend().boot(progress);
    try {
      expect(progress.lines.at(-1)).toMatch(/^trixie lab machine resumed in \d+\.\d s/);
      expect(await shell(machine, "ls -A /tmp")).toBe("");
      const guestSeconds = Number(await shell(machine, "date +%s"));
      expect(Math.abs(guestSeconds - Date.now() / 1000)).toBeLessThan(5);
      expect(await shell(machine, "bpftrace --version")).toMatch(/^bpftrace v0\.23/);
    } finally {
      await machine.close();
    }
  }, 300_000);

  test("that does not resume is discarded and the machine booted; the next start saves a new one", async () => {
    const file = await currentSnapshot();
    await writeFile(file, "not a machine state");
    const progress = recordingProgress();
    const booted = await vmBackend().boot(progress);
    try {
      expect(progress.lines.join("\n")).toMatch(/the saved lab machine did not resume \(.+\); booting it/);
      expect(progress.lines.at(-1)).toMatch(/^trixie lab machine booted in/);
      expect(await shell(booted, "echo ok")).toBe("ok\n");
    } finally {
      await booted.close();
    }
    const next = await vmBackend().boot(silentProgress);
    await next.close();
    expect((await stat(file)).size).toBeGreaterThan(1_000_000);
  }, 300_000);
});

describe("qemu's view of snapshot files", () => {
  test("paths reach qemu's shell commands as single words, whatever they hold", () => {
    expect(saveStateUri("/cache/it's here.state")).toBe(`exec:cat > '/cache/it'\\''s here.state'`);
  });

  test("a resumed machine is the booted machine's command line plus -incoming", async () => {
    const image = await ensureLabImage(silentProgress);
    const shape = labMachineShape("tcg");
    const booted = qemuArguments({ image, ...shape, agentSocket: "/run/a.sock" });
    const resumed = qemuArguments({ image, ...shape, agentSocket: "/run/a.sock", resumeFrom: "/cache/s.state" });
    expect(resumed).toEqual([...booted, "-incoming", "exec:cat '/cache/s.state'"]);
  });
});
