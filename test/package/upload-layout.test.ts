// A platform upload, laid out for grading: loose files, a zip, a repository laid out like
// exercises/; links never followed; zips checked before they are unpacked. Real files, real zips
// (Info-ZIP's zip and unzip, installed by .ci/run).
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, test } from "vitest";
import { loadExercise } from "../../graders/kit/catalog.ts";
import type { Exercise } from "../../graders/kit/exercise.ts";
import { exerciseFiles, layOutUpload, maxZipBytes } from "../../graders/kit/package/upload-layout.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";

const repo = new URL("../..", import.meta.url).pathname;
let vfsUnlink: Exercise;
let lockContention: Exercise;

beforeAll(async () => {
  vfsUnlink = await loadExercise("vfs-unlink");
  lockContention = await loadExercise("lock-contention");
});

async function fresh(): Promise<{ upload: string; work: string }> {
  const dir = await mkdtemp(join(tmpdir(), "bpflab-upload-test-"));
  await mkdir(join(dir, "upload"));
  await mkdir(join(dir, "work"));
  return { upload: join(dir, "upload"), work: join(dir, "work") };
}

const solution = (exercise: string, file: string) => join(repo, "solutions", exercise, file);

describe("laying out an upload", () => {
  test("an exercise's files are its scripts and its written answers", () => {
    expect(exerciseFiles(lockContention).sort()).toEqual(["answers.md", "lock-contention.bt", "lock-types.bt"]);
  });

  test("loose files are placed by name", async () => {
    const { upload, work } = await fresh();
    for (const file of exerciseFiles(lockContention)) await cp(solution("lock-contention", file), join(upload, file));
    await cp(solution("vfs-unlink", "vfs-unlink.bt"), join(upload, "vfs-unlink.bt"));
    const layout = await layOutUpload(upload, [vfsUnlink, lockContention], work, silentProgress);
    expect(await readFile(join(layout.root, "vfs-unlink/vfs-unlink.bt"), "utf8")).toBe(await readFile(solution("vfs-unlink", "vfs-unlink.bt"), "utf8"));
    expect(existsSync(join(layout.root, "lock-contention/answers.md"))).toBe(true);
    expect(layout.notes).toEqual([]);
  });

  test("in a repository laid out like exercises/, the copy in the exercise's folder wins, and the student is told", async () => {
    const { upload, work } = await fresh();
    await mkdir(join(upload, "exercises/vfs-unlink"), { recursive: true });
    await cp(solution("vfs-unlink", "vfs-unlink.bt"), join(upload, "exercises/vfs-unlink/vfs-unlink.bt"));
    await writeFile(join(upload, "vfs-unlink.bt"), "// an old draft\n");
    await mkdir(join(upload, ".git"));
    await writeFile(join(upload, ".git/vfs-unlink.bt"), "// not a submission\n");
    const layout = await layOutUpload(upload, [vfsUnlink], work, silentProgress);
    expect(await readFile(join(layout.root, "vfs-unlink/vfs-unlink.bt"), "utf8")).not.toContain("old draft");
    expect(layout.notes).toEqual(["vfs-unlink/vfs-unlink.bt: graded exercises/vfs-unlink/vfs-unlink.bt, not vfs-unlink.bt"]);
  });

  test("a zip of a folder is unpacked and searched", async () => {
    const { upload, work } = await fresh();
    const folder = join(work, "src/my lab");
    await mkdir(folder, { recursive: true });
    await cp(solution("vfs-unlink", "vfs-unlink.bt"), join(folder, "vfs-unlink.bt"));
    await execa("zip", ["-q", "-r", join(upload, "handin.zip"), "my lab"], { cwd: join(work, "src") });
    const layout = await layOutUpload(upload, [vfsUnlink], work, silentProgress);
    expect(existsSync(join(layout.root, "vfs-unlink/vfs-unlink.bt"))).toBe(true);
    expect(layout.notes).toEqual(["vfs-unlink/vfs-unlink.bt: graded handin.zip/my lab/vfs-unlink.bt"]);
  });

  test("a symbolic link is never followed, in the upload or in a zip", async () => {
    const { upload, work } = await fresh();
    await symlink("/etc/passwd", join(upload, "vfs-unlink.bt"));
    const zipped = join(work, "zipped");
    await mkdir(zipped);
    await symlink("/etc/hostname", join(zipped, "vfs-unlink.bt"));
    await execa("zip", ["-q", "--symlinks", join(upload, "links.zip"), "vfs-unlink.bt"], { cwd: zipped });
    const layout = await layOutUpload(upload, [vfsUnlink], work, silentProgress);
    expect(existsSync(join(layout.root, "vfs-unlink"))).toBe(false);
    expect(layout.notes).toEqual([expect.stringContaining("your upload holds none of the files this assignment grades: upload vfs-unlink.bt")]);
  });

  test("a zip that unpacks to more than the limit is not unpacked", async () => {
    const { upload, work } = await fresh();
    await writeFile(join(work, "big.bt"), Buffer.alloc(maxZipBytes + 1));
    await execa("zip", ["-q", join(upload, "bomb.zip"), "big.bt"], { cwd: work });
    const layout = await layOutUpload(upload, [vfsUnlink], work, silentProgress);
    expect(layout.notes[0]).toBe(`bomb.zip unpacks to 1 files and ${maxZipBytes + 1} bytes, over the limit of 5000 files and ${maxZipBytes} bytes; it was not unpacked`);
  });

  test("an empty upload says which files the assignment grades", async () => {
    const { upload, work } = await fresh();
    const layout = await layOutUpload(upload, [vfsUnlink, lockContention], work, silentProgress);
    expect(layout.notes).toEqual([
      "your upload holds none of the files this assignment grades: upload vfs-unlink.bt, lock-contention.bt, lock-types.bt, answers.md (loose, in a zip, or in a repository laid out like exercises/)",
    ]);
  });
});
