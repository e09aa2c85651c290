// Where a lab session lives: one per lab folder (the one holding exercises/), lab and backend,
// with its socket and log in the bpflab cache, a lock that the kernel releases when its
// holder dies, and a mark in the environment of everything the session starts.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { cacheRoot } from "../../../vm/image.ts";
import type { BackendChoice } from "../session.ts";

/** Environment variable that marks the session's daemon and, inherited, its qemu. */
export const sessionMark = "BPFLAB_LAB_SESSION";
/** The longest unix socket path that fits sockaddr_un on Linux, with its NUL. */
const maxSocketPath = 107;

export interface SessionPlace {
  key: string;
  labRoot: string;
  /** The lab machine's name (vm/labs/<lab>.json). */
  lab: string;
  backend: BackendChoice;
  /** The unix socket the shells connect to (in a folder only the user can enter). */
  socket: string;
  log: string;
  /** An abstract unix socket name: bound by the one daemon alive, released when it dies. */
  lockName: string;
}

/** The nearest folder, from `start` up, that holds exercises/; `start` itself when none does. */
export function findLabRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "exercises")) && statSync(join(dir, "exercises")).isDirectory()) return dir;
    if (dirname(dir) === dir) return resolve(start);
  }
}

function privateFolder(path: string): string {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  return path;
}

export function sessionPlace(labRoot: string, lab: string, backend: BackendChoice): SessionPlace {
  const key = createHash("sha256").update(`${backend}\0${lab}\0${labRoot}`).digest("hex").slice(0, 16);
  let dir = join(cacheRoot(), "lab-sessions");
  if (join(dir, `${key}.sock`).length > maxSocketPath) dir = join(tmpdir(), `bpflab-${process.getuid?.() ?? "user"}`);
  privateFolder(dir);
  return { key, labRoot, lab, backend, socket: join(dir, `${key}.sock`), log: join(dir, `${key}.log`), lockName: `\0bpflab-lab-session-${key}` };
}

/** Processes (of this user) whose environment holds this KEY=VALUE entry. */
export function processesWithEnvironment(entry: string): number[] {
  return readdirSync("/proc").flatMap((name) => {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) return [];
    try {
      return readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(entry) ? [pid] : [];
    } catch {
      return [];
    }
  });
}

/** Processes carrying the session's mark: its daemon and what that started (qemu). */
export function markedProcesses(key: string): number[] {
  return processesWithEnvironment(`${sessionMark}=${key}`);
}
