// The lab session: a small host process that owns one lab machine and lets every `bpflab
// shell` of the lab use it, so that bpftrace in one terminal sees the workload started in
// another. It starts the machine, copies exercises/ in, serves shells on a unix socket, and
// goes away (machine included) a short while after the last shell left, or when the machine
// dies.
import { chmod, rm } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import { ownScript } from "../machine/isolation.ts";
import { LabProvider } from "../machine/lab-provider.ts";
import { backendsFor } from "../session.ts";
import { loadLab } from "../../../vm/labs.ts";
import type { Progress } from "../ui/progress.ts";
import { serveClient, type StandIn } from "./agent-stand-in.ts";
import type { Announcement } from "./announcements.ts";
import { syncExercises } from "./exercise-sync.ts";
import { markedProcesses, type SessionPlace } from "./session-place.ts";
import { takeLock } from "./session-lock.ts";

/** How long the machine outlives the last shell: long enough to open a new one without waiting. */
const idleMs = 5_000;
const machineCheckMs = 1_000;

function log(text: string): void {
  process.stderr.write(`${new Date().toISOString()} ${text}\n`);
}

/** What a daemon that crashed (SIGKILL, OOM) left running: its qemu, found by the session's mark. */
function killOrphans(key: string): void {
  for (const pid of markedProcesses(key)) {
    if (pid === process.pid) continue;
    log(`stopping ${pid}, left running by an earlier session`);
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Gone meanwhile.
    }
  }
}

function announcingProgress(announce: (announcement: Announcement) => void): Progress {
  return {
    step: (text) => announce({ kind: "step", text }),
    done: (text) => announce({ kind: "done", text }),
    fail: (text) => announce({ kind: "fail", text }),
  };
}

export async function runSessionDaemon(place: SessionPlace, announce: (announcement: Announcement) => void): Promise<void> {
  const lock = await takeLock(place.lockName);
  if (!lock) {
    announce({ kind: "already-running" });
    return;
  }
  log(`lab session for ${place.labRoot} (${place.lab} lab, ${place.backend} backend), pid ${process.pid}`);
  killOrphans(place.key);
  await rm(place.socket, { force: true });

  // The shell is the user's own: it may run on this host's kernel when they chose that backend.
  const provider = new LabProvider(backendsFor(place.backend, announcingProgress(announce), loadLab(place.lab)), announcingProgress(announce), ownScript);
  const offer = await provider.acquire([]);
  if (offer.kind === "unavailable") {
    announce({ kind: "failed", reason: `no lab machine: ${offer.reason}` });
    log(`no lab machine: ${offer.reason}`);
    await lock.release();
    return;
  }
  const machine = offer.machine;
  // On the host backend the lab machine is this machine: its exercises/ are already there.
  const sync = machine.info.backend === "host" ? undefined : await syncExercises(machine, place.labRoot, log);
  log(sync ? `${sync.copied} files of exercises/ copied in` : "the host backend: exercises/ not copied");

  const clients = new Set<StandIn>();
  let idleTimer: NodeJS.Timeout | undefined;
  let finish: (why: string) => void = () => undefined;
  const finished = new Promise<string>((resolve) => (finish = resolve));
  const armIdle = () => {
    idleTimer = setTimeout(() => finish(`no shell for ${idleMs / 1000} s`), idleMs);
  };

  const server = createServer((socket: Socket) => {
    clearTimeout(idleTimer);
    const client = serveClient(socket, machine);
    clients.add(client);
    log(`a shell joined (${clients.size} attached)`);
    void client.closed.then(() => {
      clients.delete(client);
      log(`a shell left (${clients.size} attached)`);
      if (clients.size === 0) armIdle();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(place.socket, () => resolve());
  });
  await chmod(place.socket, 0o600);

  const machineCheck = setInterval(() => {
    if (machine.failure) finish(machine.failure);
  }, machineCheckMs);
  const onSignal = (signal: NodeJS.Signals) => finish(`the lab session was stopped (${signal})`);
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, onSignal);

  armIdle();
  announce({ kind: "ready" });
  log("ready");
  const why = await finished;
  log(`ending: ${why}`);
  clearInterval(machineCheck);
  clearTimeout(idleTimer);
  server.close();
  sync?.close();
  for (const client of clients) client.drop(why);
  await provider.close();
  await rm(place.socket, { force: true });
  await lock.release();
  log("ended");
}
