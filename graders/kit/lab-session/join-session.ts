// A shell's way into its lab session: connect to the session's socket, or, when no session
// runs, start its daemon (detached, so that it outlives this shell) and show its progress.
import { spawn } from "node:child_process";
import { openSync, closeSync, readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { AgentConnection } from "../machine/agent/agent-client.ts";
import { sleep } from "../run/timing.ts";
import type { BackendChoice } from "../session.ts";
import type { Progress } from "../ui/progress.ts";
import { announcementSchema } from "./announcements.ts";
import { sessionMark, sessionPlace, type SessionPlace } from "./session-place.ts";
import { lockHeld } from "./session-lock.ts";

const bpflab = fileURLToPath(new URL("../../../bin/bpflab.js", import.meta.url));
const pollMs = 100;

export interface JoinedSession {
  agent: AgentConnection;
  /** False for the shell that started the session. */
  joined: boolean;
  place: SessionPlace;
}

function tryConnect(path: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once("connect", () => resolve(socket));
    socket.once("error", () => resolve(undefined));
  });
}

function logTail(place: SessionPlace): string {
  try {
    return readFileSync(place.log, "utf8").trimEnd().split("\n").slice(-15).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Starts the daemon and relays its progress; "ready", or "already-running" when another won the race. */
async function startDaemon(place: SessionPlace, progress: Progress): Promise<"ready" | "already-running"> {
  const log = openSync(place.log, "a");
  const daemon = spawn(process.execPath, [bpflab, "lab-session", place.labRoot, "--backend", place.backend, "--lab", place.lab], {
    detached: true,
    stdio: ["ignore", "pipe", log],
    env: { ...process.env, [sessionMark]: place.key },
  });
  closeSync(log);
  const exited = new Promise<string>((resolve) => daemon.once("exit", (code, signal) => resolve(signal ?? `status ${code}`)));
  try {
    if (!daemon.stdout) throw new Error("the lab session has no stdout");
    for await (const line of createInterface({ input: daemon.stdout })) {
      const announcement = announcementSchema.parse(JSON.parse(line));
      switch (announcement.kind) {
        case "step":
        case "done":
        case "fail":
          progress[announcement.kind](announcement.text);
          break;
        case "ready":
        case "already-running":
          return announcement.kind;
        case "failed":
          throw new Error(announcement.reason);
      }
    }
    throw new Error(`the lab session ended while starting (${await exited}); its log, ${place.log}, ends with:\n${logTail(place)}`);
  } finally {
    daemon.stdout?.destroy();
    daemon.unref();
  }
}

export async function joinLabSession(labRoot: string, lab: string, backend: BackendChoice, progress: Progress): Promise<JoinedSession> {
  const place = sessionPlace(labRoot, lab, backend);
  let started = false;
  let waitingSaid = false;
  for (;;) {
    const socket = await tryConnect(place.socket);
    if (socket) {
      const agent = await AgentConnection.open(socket, { helloTimeoutMs: 10_000 });
      if (waitingSaid) progress.done("the lab machine another shell started is ready");
      return { agent, joined: !started, place };
    }
    if (await lockHeld(place.lockName)) {
      // Another shell's daemon is starting the machine (or a session is just ending).
      if (!waitingSaid && !started) progress.step("waiting for the lab machine that another shell is starting");
      waitingSaid = true;
      await sleep(pollMs);
      continue;
    }
    if ((await startDaemon(place, progress)) === "ready") started = true;
  }
}
