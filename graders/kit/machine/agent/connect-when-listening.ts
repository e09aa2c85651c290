// Connects to a unix socket that another process is about to create and listen on.
import { existsSync } from "node:fs";
import { connect, type Socket } from "node:net";

function attempt(path: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once("connect", () => resolve(socket));
    socket.once("error", () => resolve(undefined));
  });
}

export async function connectWhenListening(path: string, timeoutMs: number): Promise<Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const socket = existsSync(path) ? await attempt(path) : undefined;
    if (socket) return socket;
    if (Date.now() > deadline) throw new Error(`nothing listened on ${path} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
