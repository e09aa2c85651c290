// What a student uploaded to a grading platform, laid out as bpflab grades it: <root>/<exercise>/<file>.
// Students upload in many ways: loose .bt files, a zip of them or of a folder, or a repository laid
// out like exercises/ (Gradescope's GitHub upload). Every file an exercise needs is looked for by
// its name anywhere in the upload; where a name appears more than once, the copy in a folder named
// after the exercise wins, then the one nearest the top. The upload is data: links are never
// followed, only regular files are taken, and zips are size-checked before they are unpacked.
import { copyFile, lstat, mkdir, mkdtemp, readdir } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { execa } from "execa";
import type { Exercise } from "../exercise.ts";
import { requireTools } from "../../../vm/system-tools.ts";
import type { Progress } from "../ui/progress.ts";

/** Folders that never hold a submission's files. */
const skippedFolders = new Set([".git", "node_modules", "__MACOSX", ".bpflab"]);
const maxDepth = 8;
const maxEntries = 5000;
export const maxZipBytes = 16 * 1024 * 1024;

export interface UploadLayout {
  /** A folder laid out like exercises/: what `gradeSubmissions` reads. */
  root: string;
  /** What was found where, and what was not: shown to the student above the checks. */
  notes: string[];
}

interface FoundFile {
  /** As the student would name it: relative to the upload, "<zip>/..." inside a zip. */
  shown: string;
  path: string;
  depth: number;
}

/** The files an exercise reads from a submission: its tasks' scripts and its written answers. */
export function exerciseFiles(exercise: Exercise): string[] {
  return [...new Set([...exercise.tasks.map((task) => task.script), ...(exercise.review ?? []).map((item) => item.file)])];
}

/** Every regular file under `root`, named for the student as `shownPrefix`/<path>; links are not followed. */
async function walk(root: string, shownPrefix: string, notes: string[]): Promise<FoundFile[]> {
  const files: FoundFile[] = [];
  let entries = 0;
  async function visit(dir: string, depth: number): Promise<void> {
    for (const name of (await readdir(dir)).sort()) {
      if (++entries > maxEntries) return;
      const path = join(dir, name);
      const stat = await lstat(path);
      if (stat.isDirectory()) {
        if (!skippedFolders.has(name) && depth < maxDepth) await visit(path, depth + 1);
      } else if (stat.isFile()) {
        files.push({ shown: join(shownPrefix, relative(root, path)).split(sep).join("/"), path, depth });
      }
    }
  }
  await visit(root, 0);
  if (entries > maxEntries) notes.push(`your upload holds more than ${maxEntries} files; only the first ${maxEntries} were looked at`);
  return files;
}

const isZip = (file: FoundFile) => file.path.toLowerCase().endsWith(".zip");

/** `unzip -Zt`: "N files, B bytes uncompressed, C bytes compressed: R%". */
function zipTotals(listing: string): { files: number; bytes: number } | undefined {
  const match = listing.match(/(\d+) files?, (\d+) bytes? uncompressed/);
  return match ? { files: Number(match[1]), bytes: Number(match[2]) } : undefined;
}

async function unpackZip(zip: FoundFile, into: string, notes: string[]): Promise<string | undefined> {
  const totals = zipTotals((await execa("unzip", ["-Zt", zip.path], { reject: false })).stdout);
  if (!totals) {
    notes.push(`${zip.shown} is not a zip archive bpflab can read; it was not unpacked`);
    return undefined;
  }
  if (totals.bytes > maxZipBytes || totals.files > maxEntries) {
    notes.push(`${zip.shown} unpacks to ${totals.files} files and ${totals.bytes} bytes, over the limit of ${maxEntries} files and ${maxZipBytes} bytes; it was not unpacked`);
    return undefined;
  }
  // Info-ZIP drops absolute paths and "../" from names, and never overwrites (-n).
  const unzip = await execa("unzip", ["-qq", "-n", zip.path, "-d", into], { reject: false, all: true });
  if (unzip.exitCode !== 0 && unzip.exitCode !== 1) {
    notes.push(`${zip.shown} could not be unpacked (${(unzip.all ?? "").split("\n")[0]})`);
    return undefined;
  }
  return into;
}

function pick(candidates: readonly FoundFile[], exerciseId: string): FoundFile | undefined {
  const ranked = [...candidates].sort(
    (a, b) =>
      Number(basename(dirname(b.path)) === exerciseId) - Number(basename(dirname(a.path)) === exerciseId) || a.depth - b.depth || a.shown.localeCompare(b.shown),
  );
  return ranked[0];
}

/** Lays `upload` out for grading the `exercises` in a new folder under `workDir`. */
export async function layOutUpload(upload: string, exercises: readonly Exercise[], workDir: string, progress: Progress): Promise<UploadLayout> {
  const notes: string[] = [];
  const uploaded = await walk(upload, "", notes);
  const found = uploaded.filter((file) => !isZip(file));
  const zips = uploaded.filter(isZip);
  if (zips.length > 0) await requireTools([{ command: "unzip", debianPackage: "unzip" }], progress);
  for (const zip of zips) {
    const unpacked = await unpackZip(zip, await mkdtemp(join(workDir, "zip-")), notes);
    // Zips inside zips are not unpacked: nobody hands in their scripts that way.
    if (unpacked) found.push(...(await walk(unpacked, zip.shown, notes)).filter((file) => !isZip(file)));
  }

  const root = join(workDir, "submission");
  await mkdir(root, { recursive: true });
  let taken = 0;
  for (const exercise of exercises) {
    for (const file of exerciseFiles(exercise)) {
      const candidates = found.filter((candidate) => basename(candidate.path) === file);
      const chosen = pick(candidates, exercise.id);
      if (!chosen) continue;
      await mkdir(join(root, exercise.id), { recursive: true });
      await copyFile(chosen.path, join(root, exercise.id, file));
      taken++;
      const others = candidates.filter((candidate) => candidate !== chosen).map((candidate) => candidate.shown);
      if (chosen.shown !== file || others.length > 0) {
        notes.push(`${exercise.id}/${file}: graded ${chosen.shown}${others.length > 0 ? `, not ${others.join(", ")}` : ""}`);
      }
    }
  }
  if (taken === 0) {
    const expected = exercises.flatMap(exerciseFiles);
    notes.push(`your upload holds none of the files this assignment grades: upload ${expected.join(", ")} (loose, in a zip, or in a repository laid out like exercises/)`);
  }
  return { root, notes };
}
