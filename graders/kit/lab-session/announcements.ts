// What a starting lab session tells the shell that started it, one JSON line at a time on its
// stdout, until it is ready (or is not needed, or failed); after that it writes only its log.
import { z } from "zod";

export const announcementSchema = z.discriminatedUnion("kind", [
  /** Progress while the image builds and the machine starts, shown by the starting shell. */
  z.strictObject({ kind: z.enum(["step", "done", "fail"]), text: z.string() }),
  z.strictObject({ kind: z.literal("ready") }),
  /** Another daemon holds the session's lock: connect to it instead. */
  z.strictObject({ kind: z.literal("already-running") }),
  z.strictObject({ kind: z.literal("failed"), reason: z.string() }),
]);

export type Announcement = z.infer<typeof announcementSchema>;
