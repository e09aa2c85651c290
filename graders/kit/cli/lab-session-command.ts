// `bpflab lab-session <lab> --backend <name>` (hidden): the lab session daemon, started by
// the first `bpflab shell` of a lab. Its stdout is the starting shell's (announcements until
// ready), its stderr the session's log.
import { chosenLab } from "../../../vm/labs.ts";
import { runSessionDaemon } from "../lab-session/session-daemon.ts";
import type { Announcement } from "../lab-session/announcements.ts";
import { sessionPlace } from "../lab-session/session-place.ts";
import type { BackendChoice } from "../session.ts";

export async function labSessionCommand(labRoot: string, options: { backend: BackendChoice; lab?: string }): Promise<void> {
  // The starting shell stops reading once the session is ready; later messages go to the log.
  let starterListens = true;
  process.stdout.on("error", () => (starterListens = false));
  const announce = (announcement: Announcement) => {
    if (starterListens) process.stdout.write(`${JSON.stringify(announcement)}\n`);
    else process.stderr.write(`${new Date().toISOString()} ${"text" in announcement ? announcement.text : announcement.kind}\n`);
    if (announcement.kind === "ready" || announcement.kind === "failed" || announcement.kind === "already-running") starterListens = false;
  };
  try {
    await runSessionDaemon(sessionPlace(labRoot, chosenLab(options.lab).name, options.backend), announce);
  } catch (error) {
    announce({ kind: "failed", reason: `the lab session failed: ${error instanceof Error ? error.message : String(error)}` });
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(0);
}
