// A lab machine saved right after boot, resumed instead of booted: under TCG a boot takes about
// seven seconds, a resume about one. The state is saved before any host has talked to the
// agent, so every resumed machine starts as a fresh boot would: its agent greets the first host
// that connects. The disk is read-only and shared, so the saved memory always matches it.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { setTimeout as sleep } from "node:timers/promises";
import type { LabImage } from "./image.ts";
import { launchVm, type MachineShape, type RunningVm } from "./launch.ts";
import { saveStateUri } from "./qemu.ts";

/** What the guest's init prints as it becomes the agent (vm/guest/init). */
const agentStartingLine = "bpflab: agent on ";

const migrationSchema = z.object({ status: z.string(), "error-desc": z.string().optional() });

/** Saved states depend on the image and on the machine's shape; they live with the image. */
export function snapshotFile(image: LabImage, shape: MachineShape): string {
  return join(image.dir, `snapshot-${shape.accelerator}-${shape.cpus}cpu-${shape.memoryMb}mb.state`);
}

export function hasSnapshot(image: LabImage, shape: MachineShape): boolean {
  return existsSync(snapshotFile(image, shape));
}

async function waitForConsole(vm: RunningVm, line: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!vm.consoleTail().includes(line)) {
    if (vm.hasExited()) throw new Error(`qemu exited before the agent started: ${await vm.exited}`);
    if (Date.now() > deadline) throw new Error(`the agent did not start within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

/** Boots a machine, saves its state as soon as the agent starts, and stops it. */
export async function saveSnapshot(image: LabImage, shape: MachineShape, bootTimeoutMs: number): Promise<void> {
  const file = snapshotFile(image, shape);
  // Two graders may save at once: each writes its own file, and the rename is atomic.
  const partial = `${file}.saving-${randomBytes(4).toString("hex")}`;
  const vm = await launchVm(image, shape, { monitor: true });
  try {
    await waitForConsole(vm, agentStartingLine, bootTimeoutMs);
    const qmp = await vm.openMonitor(10_000);
    try {
      await qmp.execute("migrate", { uri: saveStateUri(partial) });
      const deadline = Date.now() + 120_000;
      for (;;) {
        const migration = migrationSchema.parse(await qmp.execute("query-migrate"));
        if (migration.status === "completed") break;
        if (migration.status === "failed" || migration.status === "cancelled" || Date.now() > deadline) {
          throw new Error(`qemu could not save the machine (${migration.status}${migration["error-desc"] ? `: ${migration["error-desc"]}` : ""})`);
        }
        await sleep(50);
      }
    } finally {
      qmp.close();
    }
    await rename(partial, file);
  } finally {
    await vm.stop();
    await rm(partial, { force: true });
  }
}

/** Forgets a saved state that would not resume, so that the next start saves a new one. */
export async function discardSnapshot(image: LabImage, shape: MachineShape): Promise<void> {
  await rm(snapshotFile(image, shape), { force: true });
}
