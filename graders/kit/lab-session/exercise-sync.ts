// The student's exercises/ in the lab machine: copied in when the session starts, then kept in
// step with the files on the host (written again when they change, removed when they go), so
// that `bpftrace exercises/kprobeme/which-file.bt` in a shell runs what the editor shows.
// One way only: what is edited in the lab machine is replaced by the host's next change.
import { watch, type FSWatcher } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, posix, relative, sep } from "node:path";
import type { LabMachine } from "../machine/lab-machine.ts";
import { labHome } from "../shell/lab-shell.ts";

const settleMs = 100;
const largestFileBytes = 8 * 1024 * 1024;

export interface ExerciseSync {
  /** Files copied when the session started. */
  readonly copied: number;
  close(): void;
}

/** Hidden files (an editor's swap files, .git) and installed packages stay on the host. */
function isCopied(relativePath: string): boolean {
  return relativePath.split(sep).every((part) => part !== "" && !part.startsWith(".") && part !== "node_modules");
}

/** The files under hostDir/folder, relative to hostDir. */
async function filesUnder(hostDir: string, folder: string): Promise<string[]> {
  const entries = await readdir(join(hostDir, folder), { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(hostDir, join(entry.parentPath, entry.name)))
    .filter(isCopied);
}

export async function syncExercises(machine: LabMachine, labRoot: string, log: (text: string) => void): Promise<ExerciseSync> {
  const hostDir = join(labRoot, "exercises");
  const guestDir = posix.join(labHome, "exercises");
  const guestPath = (relativePath: string) => posix.join(guestDir, ...relativePath.split(sep));
  let queue: Promise<void> = Promise.resolve();

  async function copy(relativePath: string): Promise<void> {
    const file = join(hostDir, relativePath);
    const info = await stat(file).catch(() => undefined);
    if (!info) {
      const removal = await machine.spawn(["rm", "-rf", "--", guestPath(relativePath)]);
      await removal.exit;
    } else if (info.isFile() && info.size <= largestFileBytes) {
      await machine.writeFile(guestPath(relativePath), await readFile(file), info.mode & 0o777);
    } else if (info.isFile()) {
      log(`not copied into the lab machine (over ${largestFileBytes >> 20} MiB): ${file}`);
    } else if (info.isDirectory()) {
      // A folder moved in brings files that have no events of their own.
      for (const inside of await filesUnder(hostDir, relativePath)) await copy(inside);
    }
  }

  const copyOrSay = (relativePath: string) =>
    copy(relativePath).catch((error: unknown) => log(`could not copy ${relativePath} into the lab machine: ${error instanceof Error ? error.message : String(error)}`));
  // Changes are copied one after another, so that a quick edit and its undo arrive in order.
  const enqueue = (relativePath: string) => {
    queue = queue.then(() => copyOrSay(relativePath));
  };

  const files = await filesUnder(hostDir, ".").catch(() => undefined);
  if (!files) return { copied: 0, close() {} };
  // All at once at the start: the agent takes them in order, without a round trip each.
  await Promise.all(files.map(copyOrSay));

  // Editors save in bursts (write, rename, chmod): copy a path once it has been quiet a moment.
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(hostDir, { recursive: true }, (_event, name) => {
    if (!name || !isCopied(name)) return;
    changed.add(name);
    clearTimeout(timer);
    timer = setTimeout(() => {
      for (const path of changed) enqueue(path);
      changed.clear();
    }, settleMs);
  });
  watcher.on("error", (error) => log(`stopped following changes to ${hostDir}: ${error.message}`));
  return {
    copied: files.length,
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
