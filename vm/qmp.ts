// Just enough of QMP, qemu's JSON machine protocol, to save a running machine's state: one
// command at a time, answers matched in order, asynchronous events ignored.
import type { Socket } from "node:net";
import { createInterface } from "node:readline";
import { z } from "zod";

const replySchema = z.union([
  z.object({ return: z.unknown() }),
  z.object({ error: z.object({ class: z.string(), desc: z.string() }) }),
  z.object({ event: z.string() }),
  z.object({ QMP: z.unknown() }),
]);

export class QmpConnection {
  private readonly waiting: ((reply: z.infer<typeof replySchema>) => void)[] = [];

  private constructor(private readonly socket: Socket) {
    createInterface({ input: socket }).on("line", (line) => {
      const reply = replySchema.parse(JSON.parse(line));
      if ("return" in reply || "error" in reply) this.waiting.shift()?.(reply);
    });
    socket.on("close", () => {
      for (const waiter of this.waiting.splice(0)) waiter({ error: { class: "Closed", desc: "qemu closed its QMP socket" } });
    });
  }

  /** Speaks QMP over a socket connected to qemu's monitor. */
  static async over(socket: Socket): Promise<QmpConnection> {
    const qmp = new QmpConnection(socket);
    await qmp.execute("qmp_capabilities");
    return qmp;
  }

  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.push((reply) => {
        if ("error" in reply) reject(new Error(`qemu refused ${command}: ${reply.error.desc}`));
        else resolve("return" in reply ? reply.return : undefined);
      });
      this.socket.write(`${JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}) })}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
