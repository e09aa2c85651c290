// The lab image: built once by recipe/build-image.sh, cached under a key that hashes the
// recipe, the guest side and the workload sources, so changing any of them rebuilds it.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, utimes } from "node:fs/promises";
import { homedir } from "node:os";
import { join, relative } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { requireTools, type SystemTool } from "../graders/kit/host/system-tools.ts";
import type { Progress } from "../graders/kit/ui/progress.ts";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const recipeInputs = ["vm/recipe", "vm/guest", "fixtures/workloads"];
const buildScript = join(repoRoot, "vm/recipe/build-image.sh");

export const imageBuildTools: readonly SystemTool[] = [
  { command: "mmdebstrap", debianPackage: "mmdebstrap" },
  { command: "mke2fs", debianPackage: "e2fsprogs" },
  { command: "cpio", debianPackage: "cpio" },
  { command: "xz", debianPackage: "xz-utils" },
  { command: "gcc", debianPackage: "gcc" },
  { command: "dpkg-deb", debianPackage: "dpkg" },
];

export interface LabImage {
  dir: string;
  kernel: string;
  initramfs: string;
  rootDisk: string;
  /** The same root filesystem as rootDisk, for `docker build` (FROM scratch). */
  rootfsTar: string;
  /** Package name -> version of everything in the image, the kernel included. */
  packages: Record<string, string>;
}

export function cacheRoot(): string {
  return process.env.BPFLAB_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "bpflab");
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

export async function recipeHash(): Promise<string> {
  const hash = createHash("sha256");
  for (const input of recipeInputs) {
    for (const file of await listFiles(join(repoRoot, input))) {
      if (file.endsWith(".ts")) continue; // host-side TypeScript never reaches the image
      hash.update(relative(repoRoot, file)).update("\0").update(await readFile(file)).update("\0");
    }
  }
  return hash.digest("hex").slice(0, 16);
}

function imageAt(dir: string, manifest: string): LabImage {
  const packages: Record<string, string> = {};
  for (const line of manifest.split("\n")) {
    const [name, version] = line.split("\t");
    if (name && version) packages[name] = version;
  }
  return {
    dir,
    kernel: join(dir, "vmlinuz"),
    initramfs: join(dir, "initramfs.cpio"),
    rootDisk: join(dir, "root.ext4"),
    rootfsTar: join(dir, "rootfs.tar"),
    packages,
  };
}

/** Two checkouts of different versions (a student's and a fresh clone) do not rebuild in turn. */
const imagesKept = 2;

/**
 * Every recipe change builds a new image of about 700 MB: only the `keep` most recently used
 * (their folder's mtime, touched on every use) stay in the cache. Builds under way are left be.
 */
export async function pruneImages(root: string, keep: number): Promise<string[]> {
  const names = (await readdir(root).catch(() => [])).filter((name) => /^image-[0-9a-f]+$/.test(name));
  const used = await Promise.all(names.map(async (name) => ({ name, mtimeMs: (await stat(join(root, name))).mtimeMs })));
  const stale = used.sort((a, b) => b.mtimeMs - a.mtimeMs).slice(keep).map((image) => join(root, image.name));
  await Promise.all(stale.map((dir) => rm(dir, { recursive: true, force: true })));
  return stale;
}

/** Returns the cached image for the current recipe, building it first if needed. */
export async function ensureLabImage(progress: Progress): Promise<LabImage> {
  const dir = join(cacheRoot(), `image-${await recipeHash()}`);
  const manifest = join(dir, "packages.tsv");
  if (existsSync(manifest)) {
    const now = new Date();
    await utimes(dir, now, now).catch(() => undefined);
    return imageAt(dir, await readFile(manifest, "utf8"));
  }

  await requireTools(imageBuildTools, progress);
  await mkdir(cacheRoot(), { recursive: true });
  const staging = `${dir}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const started = Date.now();
  progress.step("building the lab image (first use only, about a minute)");
  const build = execa(buildScript, [staging], { all: true, reject: false, buffer: { all: true } });
  if (build.all) {
    createInterface({ input: build.all }).on("line", (line) => {
      if (line.startsWith("==> ")) progress.step(`building the lab image: ${line.slice(4)}`);
    });
  }
  const result = await build;
  if (result.exitCode !== 0) {
    await rm(staging, { recursive: true, force: true });
    progress.fail("building the lab image failed");
    throw new Error(`building the lab image failed (exit ${result.exitCode}):\n${String(result.all).slice(-4000)}`);
  }
  await rename(staging, dir).catch(async () => rm(staging, { recursive: true, force: true }));
  progress.done(`lab image built in ${((Date.now() - started) / 1000).toFixed(0)} s (${dir})`);
  await pruneImages(cacheRoot(), imagesKept);
  return imageAt(dir, await readFile(manifest, "utf8"));
}
