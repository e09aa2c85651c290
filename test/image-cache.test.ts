// The image cache keeps the most recently used lab images and drops the rest: each recipe
// change builds a new one of about 700 MB.
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { cacheRoot, labCacheDir, manifestOf, pruneImages, recipeHash, unexpectedVersions } from "../vm/image.ts";
import { loadLab } from "../vm/labs.ts";

let root = "";
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

test("keeps the two most recently used images, and leaves builds under way and other caches alone", async () => {
  root = await mkdtemp(join(tmpdir(), "bpflab-cache-"));
  const ages: Record<string, number> = { "image-aaaa": 50, "image-bbbb": 10, "image-cccc": 30, "image-dddd": 1 };
  for (const [name, hoursAgo] of Object.entries(ages)) {
    await mkdir(join(root, name));
    await writeFile(join(root, name, "packages.tsv"), "bpftrace\t0.23.2\n");
    const when = new Date(Date.now() - hoursAgo * 3_600_000);
    await utimes(join(root, name), when, when);
  }
  await mkdir(join(root, "image-eeee.building-123"));
  await mkdir(join(root, "host-tools-ffff"));

  const removed = await pruneImages(root, 2);
  expect(removed.map((dir) => dir.slice(root.length + 1)).sort()).toEqual(["image-aaaa", "image-cccc"]);
  expect((await readdir(root)).sort()).toEqual(["host-tools-ffff", "image-bbbb", "image-dddd", "image-eeee.building-123"]);
});

test("a cache folder that does not exist yet prunes nothing", async () => {
  root = "";
  expect(await pruneImages(join(tmpdir(), "bpflab-no-such-cache"), 2)).toEqual([]);
});

test("each lab has its own folder of images, so pruning one lab's keeps the other's", async () => {
  const [trixie, forky] = [loadLab("trixie"), loadLab("forky")];
  expect(labCacheDir(trixie)).toBe(join(cacheRoot(), "labs", "trixie"));
  expect(labCacheDir(forky)).toBe(join(cacheRoot(), "labs", "forky"));
  expect(await recipeHash(trixie)).not.toBe(await recipeHash(forky));
});

test("an image whose kernel or bpftrace left the lab's series is refused, naming what it found", () => {
  const forky = loadLab("forky");
  const manifest = (bpftrace: string) =>
    manifestOf(`# lab: forky (Debian forky)\nbpftrace\t${bpftrace}\nlinux-image-7.2.12+deb14-cloud-amd64\t7.2.12-1\nlinux-headers-7.2.12+deb14-common\t7.2.12-1\n`);
  expect(manifest("0.27.0-1")).not.toHaveProperty("# lab: forky (Debian forky)");
  expect(unexpectedVersions(forky, manifest("0.27.0-1"))).toBeUndefined();
  expect(unexpectedVersions(forky, manifest("0.28.0-1"))).toBe(
    'Debian forky now has bpftrace 0.28.0 (expected 0.27.x): check the exercises and the facts in vm/labs/forky.json on it, then update its "expect"',
  );
  expect(unexpectedVersions(loadLab("trixie"), manifest("0.23.2-1"))).toBe(
    'Debian trixie now has kernel 7.2.12+deb14-cloud-amd64 (expected 6.12.x): check the exercises and the facts in vm/labs/trixie.json on it, then update its "expect"',
  );
});
