// A submission's files are data, never trusted: read only regular files inside the
// submission, bounded in size, and normalized the way a student would expect an editor to.
import { lstat, readFile, realpath } from "node:fs/promises";
import { join, relative, sep } from "node:path";

export const maxFileBytes = 64 * 1024;

export type SubmissionFile =
  | { kind: "ok"; text: string; normalized: string[] }
  | { kind: "unusable"; message: string };

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep);
}

export async function readSubmissionFile(submissionRoot: string, exerciseId: string, file: string): Promise<SubmissionFile> {
  const shown = `${exerciseId}/${file}`;
  if (file.includes("..") || file.startsWith("/")) return { kind: "unusable", message: `${shown}: bad file name` };
  const path = join(submissionRoot, exerciseId, file);
  const stat = await lstat(path).catch(() => undefined);
  if (!stat) return { kind: "unusable", message: `${shown} was not found: it should be in your submission.` };
  if (stat.isSymbolicLink()) {
    const target = await realpath(path).catch(() => undefined);
    const root = await realpath(submissionRoot);
    if (!target || !inside(root, target)) {
      return { kind: "unusable", message: `${shown} is a symbolic link that points outside the submission; it was not read.` };
    }
  } else if (!stat.isFile()) {
    return { kind: "unusable", message: `${shown} is not a regular file.` };
  }
  const bytes = await readFile(path);
  if (bytes.length > maxFileBytes) {
    return { kind: "unusable", message: `${shown} is ${bytes.length} bytes, over the ${maxFileBytes}-byte limit.` };
  }
  if (bytes.includes(0)) return { kind: "unusable", message: `${shown} is a binary file, not text.` };
  let text = bytes.toString("utf8");
  if (text.trim().length === 0) return { kind: "unusable", message: `${shown} is empty: write your answer in it.` };

  const normalized: string[] = [];
  if (text.startsWith("\uFEFF")) {
    text = text.slice(1);
    normalized.push("removed a UTF-8 byte-order mark");
  }
  if (text.includes("\r\n")) {
    text = text.replaceAll("\r\n", "\n");
    normalized.push("converted CRLF line endings to LF");
  }
  return { kind: "ok", text, normalized };
}
