// A lab's image: built once by recipe/build-image.sh from the lab's data (vm/labs/<name>.json),
// cached per lab under a key that hashes what the recipe is given, the recipe, the guest side and
// the workload sources, so changing any of them rebuilds it.
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, utimes } from "node:fs/promises";
import { homedir } from "node:os";
import { join, relative } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { requireTools, type SystemTool } from "./system-tools.ts";
import type { VmProgress as Progress } from "./progress.ts";
import { chosenLab, inSeries, type Lab } from "./labs.ts";

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
  /** The lab it was built for (vm/labs/<lab>.json). */
  lab: string;
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

export async function recipeHash(lab: Lab): Promise<string> {
  const hash = createHash("sha256");
  hash.update(JSON.stringify(lab.image)).update("\0");
  for (const input of recipeInputs) {
    for (const file of await listFiles(join(repoRoot, input))) {
      if (file.endsWith(".ts")) continue; // host-side TypeScript never reaches the image
      hash.update(relative(repoRoot, file)).update("\0").update(await readFile(file)).update("\0");
    }
  }
  return hash.digest("hex").slice(0, 16);
}

/** The package manifest (name TAB version per line; "#" lines are comments, the first names the lab). */
export function manifestOf(manifest: string): Record<string, string> {
  const packages: Record<string, string> = {};
  for (const line of manifest.split("\n")) {
    const [name, version] = line.split("\t");
    if (name && version && !name.startsWith("#")) packages[name] = version;
  }
  return packages;
}

function imageAt(lab: Lab, dir: string, manifest: string): LabImage {
  return {
    lab: lab.name,
    dir,
    kernel: join(dir, "vmlinuz"),
    initramfs: join(dir, "initramfs.cpio"),
    rootDisk: join(dir, "root.ext4"),
    rootfsTar: join(dir, "rootfs.tar"),
    packages: manifestOf(manifest),
  };
}

/** Per lab: two checkouts of different versions (a student's and a fresh clone) do not rebuild in turn. */
const imagesKept = 2;

/**
 * Every recipe change builds a new image of 700-900 MB: only the `keep` most recently used
 * (their folder's mtime, touched on every use) stay in the cache. Builds under way are left be.
 */
export async function pruneImages(root: string, keep: number): Promise<string[]> {
  const names = (await readdir(root).catch(() => [])).filter((name) => /^image-[0-9a-f]+$/.test(name));
  const used = await Promise.all(names.map(async (name) => ({ name, mtimeMs: (await stat(join(root, name))).mtimeMs })));
  const stale = used.sort((a, b) => b.mtimeMs - a.mtimeMs).slice(keep).map((image) => join(root, image.name));
  await Promise.all(stale.map((dir) => rm(dir, { recursive: true, force: true })));
  return stale;
}

/** Where a lab's images are cached, one folder per recipe hash. */
export function labCacheDir(lab: Lab): string {
  return join(cacheRoot(), "labs", lab.name);
}

/** The kernel and bpftrace a built image holds, from its manifest. */
export function imageVersions(packages: Record<string, string>): { kernel: string | undefined; bpftrace: string | undefined } {
  const kernelPackage = Object.keys(packages).find((name) => /^linux-image-\d/.test(name));
  return {
    kernel: kernelPackage?.slice("linux-image-".length),
    bpftrace: packages.bpftrace?.replace(/^\d+:/, "").replace(/-[^-]*$/, ""),
  };
}

/** A lab whose suite moved on (bpftrace 0.28 in forky) must be looked at before it is used. */
export function unexpectedVersions(lab: Lab, packages: Record<string, string>): string | undefined {
  const found = imageVersions(packages);
  const wrong = [
    ...(found.kernel && inSeries(found.kernel, lab.expect.kernel) ? [] : [`kernel ${found.kernel ?? "none"} (expected ${lab.expect.kernel}.x)`]),
    ...(found.bpftrace && inSeries(found.bpftrace, lab.expect.bpftrace) ? [] : [`bpftrace ${found.bpftrace ?? "none"} (expected ${lab.expect.bpftrace}.x)`]),
  ];
  return wrong.length === 0
    ? undefined
    : `Debian ${lab.image.suite} now has ${wrong.join(" and ")}: check the exercises and the facts in vm/labs/${lab.name}.json on it, then update its "expect"`;
}

async function imageDir(lab: Lab): Promise<string> {
  return join(labCacheDir(lab), `image-${await recipeHash(lab)}`);
}

/** The built image of a lab for the current recipe, if there is one (doctor lists them). */
export async function builtLabImage(lab: Lab): Promise<LabImage | undefined> {
  const dir = await imageDir(lab);
  const manifest = await readFile(join(dir, "packages.tsv"), "utf8").catch(() => undefined);
  return manifest === undefined ? undefined : imageAt(lab, dir, manifest);
}

/** Returns the cached image of a lab (the chosen one by default), building it first if needed. */
export async function ensureLabImage(progress: Progress, lab: Lab = chosenLab()): Promise<LabImage> {
  const built = await builtLabImage(lab);
  if (built) {
    const now = new Date();
    await utimes(built.dir, now, now).catch(() => undefined);
    return built;
  }

  const dir = await imageDir(lab);
  const manifest = join(dir, "packages.tsv");
  await requireTools(imageBuildTools, progress);
  await mkdir(labCacheDir(lab), { recursive: true });
  const staging = `${dir}.building-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  const started = Date.now();
  const what = `the ${lab.name} lab image`;
  progress.step(`building ${what} (first use only, about a minute)`);
  const { suite, mirror, kernel, headers } = lab.image;
  const build = execa(buildScript, [staging, lab.name, suite, mirror, kernel.package, kernel.layout, headers], { all: true, reject: false, buffer: { all: true } });
  if (build.all) {
    createInterface({ input: build.all }).on("line", (line) => {
      if (line.startsWith("==> ")) progress.step(`building ${what}: ${line.slice(4)}`);
    });
  }
  const result = await build;
  const unexpected = result.exitCode === 0 ? unexpectedVersions(lab, manifestOf(await readFile(join(staging, "packages.tsv"), "utf8"))) : undefined;
  if (result.exitCode !== 0 || unexpected) {
    await rm(staging, { recursive: true, force: true });
    progress.fail(`building ${what} failed`);
    throw new Error(unexpected ?? `building ${what} failed (exit ${result.exitCode}):\n${String(result.all).slice(-4000)}`);
  }
  await rename(staging, dir).catch(async () => rm(staging, { recursive: true, force: true }));
  progress.done(`${what} built in ${((Date.now() - started) / 1000).toFixed(0)} s (${dir})`);
  await pruneImages(labCacheDir(lab), imagesKept);
  return imageAt(lab, dir, await readFile(manifest, "utf8"));
}
