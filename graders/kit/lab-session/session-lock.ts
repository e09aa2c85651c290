// The lab session's lock: an abstract unix socket (Linux), bound by the one daemon of a
// session. The kernel releases it when the daemon dies, however it dies, so a crashed daemon
// never leaves a lock behind; and connecting to it tells whether a daemon is alive.
import { connect, createServer, type Server } from "node:net";

export interface HeldLock {
  release(): Promise<void>;
}

/** Takes the lock, or returns undefined when a live daemon holds it. */
export function takeLock(name: string): Promise<HeldLock | undefined> {
  return new Promise((resolve, reject) => {
    const server: Server = createServer((socket) => socket.destroy());
    server.once("error", (error: NodeJS.ErrnoException) => (error.code === "EADDRINUSE" ? resolve(undefined) : reject(error)));
    server.listen(name, () => {
      server.unref();
      resolve({ release: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

export function lockHeld(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(name);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
}
