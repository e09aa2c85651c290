// The class grader, without a lab machine: a refused folder is a zero that names the file; a
// missing backend is tried once more on a fresh provider, then not gradable, never a zero.
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { findSubmissions, gradeSubmissions } from "../../graders/kit/grade/grade-submissions.ts";
import { folderProblems } from "../../graders/kit/grade/submission-folder.ts";
import { maxFileBytes } from "../../graders/kit/grade/submission-files.ts";
import { LabProvider } from "../../graders/kit/machine/lab-provider.ts";
import { untrustedSubmissions } from "../../graders/kit/machine/isolation.ts";
import { silentProgress } from "../../graders/kit/ui/progress.ts";

async function classFolder(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "bpflab class "));
  await mkdir(join(root, "alice", "vfs-unlink"), { recursive: true });
  await writeFile(join(root, "alice", "vfs-unlink", "vfs-unlink.bt"), "kfunc:vfs_unlink { }\n");
  await mkdir(join(root, "mallory", "vfs-unlink"), { recursive: true });
  await symlink("/etc/passwd", join(root, "mallory", "vfs-unlink", "vfs-unlink.bt"));
  await mkdir(join(root, "oscar"), { recursive: true });
  await symlink("/etc", join(root, "oscar", "vfs-unlink"));
  await mkdir(join(root, "trudy", "vfs-unlink"), { recursive: true });
  await writeFile(join(root, "trudy", "vfs-unlink", "vfs-unlink.bt"), "kfunc:vfs_unlink { }\n");
  await writeFile(join(root, "trudy", "vfs-unlink", "core"), Buffer.alloc(maxFileBytes + 1));
  await symlink(join(root, "alice"), join(root, "walter"));
  await mkdir(join(root, ".git"));
  return root;
}

describe("grading a class", () => {
  test("a folder is refused for a link out of the submission, the folder itself a link, or a file over the limit", async () => {
    const root = await classFolder();
    expect(await folderProblems(join(root, "alice"), "vfs-unlink")).toEqual([]);
    expect(await folderProblems(join(root, "mallory"), "vfs-unlink")).toEqual(["vfs-unlink/vfs-unlink.bt is a symbolic link out of the submission"]);
    expect(await folderProblems(join(root, "oscar"), "vfs-unlink")).toEqual(["vfs-unlink is a symbolic link out of the submission"]);
    expect(await folderProblems(join(root, "trudy"), "vfs-unlink")).toEqual([`vfs-unlink/core is ${maxFileBytes + 1} bytes, over the ${maxFileBytes}-byte limit`]);
  });

  test("students are the folders of the root, a linked student folder is refused, dot folders are skipped", async () => {
    const submissions = await findSubmissions(await classFolder());
    expect(submissions.map((submission) => submission.id)).toEqual(["alice", "mallory", "oscar", "trudy", "walter"]);
    expect(submissions.find((submission) => submission.id === "walter")?.refused).toContain("symbolic link");
  });

  test("refused folders score zero with the file named; a missing backend is retried once, then not gradable", async () => {
    const submissions = await findSubmissions(await classFolder());
    let providers = 0;
    const results = await gradeSubmissions(submissions, {
      exercises: ["vfs-unlink"],
      seed: 1,
      transcriptDir: join(tmpdir(), "bpflab-unused-transcripts"),
      jobs: 3,
      newProvider: () => (providers++, new LabProvider([], silentProgress, untrustedSubmissions)),
      exerciseTimeoutMs: 60_000,
    });
    const byId = new Map(results.map((result) => [result.id, result.exercises[0]!]));
    for (const id of ["mallory", "oscar", "trudy", "walter"]) {
      expect(byId.get(id), id).toMatchObject({ gradable: true, score: 0 });
    }
    expect(byId.get("mallory")?.checks[0]?.message).toContain("vfs-unlink/vfs-unlink.bt is a symbolic link out of the submission");
    expect(byId.get("alice")).toMatchObject({ gradable: false, reason: "no backend configured" });
    expect(providers).toBe(3 + 1);
  });
});
