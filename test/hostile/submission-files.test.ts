// Submissions are data: odd files get a clear message naming the file, never a crash.
import { mkdir, mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { maxFileBytes, readSubmissionFile } from "../../graders/kit/grade/submission-files.ts";

let root: string;

async function submissionWith(name: string, contents: string | Buffer): Promise<void> {
  await mkdir(join(root, "vfs-unlink"), { recursive: true });
  await writeFile(join(root, "vfs-unlink", name), contents);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "bpflab submission with spaces "));
  await submissionWith("empty.bt", "");
  await submissionWith("blank.bt", "  \n\n\t\n");
  await submissionWith("binary.bt", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]));
  await submissionWith("crlf.bt", "BEGIN\r\n{\r\n  exit();\r\n}\r\n");
  await submissionWith("bom.bt", "\uFEFFBEGIN { exit(); }\n");
  await submissionWith("huge.bt", "x".repeat(maxFileBytes + 1));
  await submissionWith("fine.bt", "BEGIN { exit(); }\n");
  await symlink("/etc/passwd", join(root, "vfs-unlink", "outside.bt"));
  await symlink("fine.bt", join(root, "vfs-unlink", "inside.bt"));
  await mkdir(join(root, "vfs-unlink", "folder.bt"));
});

describe("reading a submission's files", () => {
  test("a missing file names the file the student must write", async () => {
    const file = await readSubmissionFile(root, "vfs-unlink", "missing.bt");
    expect(file).toEqual({ kind: "unusable", message: expect.stringContaining("vfs-unlink/missing.bt was not found") });
  });

  test("empty and blank files are refused as empty", async () => {
    for (const name of ["empty.bt", "blank.bt"]) {
      expect(await readSubmissionFile(root, "vfs-unlink", name)).toEqual({ kind: "unusable", message: `vfs-unlink/${name} is empty: write your answer in it.` });
    }
  });

  test("a binary file is refused", async () => {
    const file = await readSubmissionFile(root, "vfs-unlink", "binary.bt");
    expect(file).toEqual({ kind: "unusable", message: "vfs-unlink/binary.bt is a binary file, not text." });
  });

  test("a file over the size limit is refused with its size", async () => {
    const file = await readSubmissionFile(root, "vfs-unlink", "huge.bt");
    expect(file.kind === "unusable" && file.message).toContain(`${maxFileBytes + 1} bytes`);
  });

  test("a symbolic link out of the submission is not followed", async () => {
    const file = await readSubmissionFile(root, "vfs-unlink", "outside.bt");
    expect(file).toEqual({ kind: "unusable", message: expect.stringContaining("points outside the submission") });
  });

  test("a symbolic link inside the submission is read", async () => {
    expect(await readSubmissionFile(root, "vfs-unlink", "inside.bt")).toMatchObject({ kind: "ok", text: "BEGIN { exit(); }\n" });
  });

  test("a folder where a file should be is refused", async () => {
    expect(await readSubmissionFile(root, "vfs-unlink", "folder.bt")).toMatchObject({ kind: "unusable" });
  });

  test("file names with .. or absolute paths are refused", async () => {
    for (const name of ["../../etc/passwd", "/etc/passwd"]) {
      expect(await readSubmissionFile(root, "vfs-unlink", name)).toMatchObject({ kind: "unusable" });
    }
  });

  test("CRLF line endings and a UTF-8 byte-order mark are normalized, and say so", async () => {
    expect(await readSubmissionFile(root, "vfs-unlink", "crlf.bt")).toEqual({
      kind: "ok",
      text: "BEGIN\n{\n  exit();\n}\n",
      normalized: ["converted CRLF line endings to LF"],
    });
    expect(await readSubmissionFile(root, "vfs-unlink", "bom.bt")).toEqual({
      kind: "ok",
      text: "BEGIN { exit(); }\n",
      normalized: ["removed a UTF-8 byte-order mark"],
    });
  });
});
