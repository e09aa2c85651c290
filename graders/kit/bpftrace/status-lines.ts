// Lines bpftrace prints about the run itself rather than for the script: the attach count, lost
// events and, with __BPFTRACE_NOTIFY_PROBES_ATTACHED=1, the attach marker. In text mode 0.23
// prints the first two on stdout ("Attaching 3 probes..."), 0.24 and later on stderr
// ("Attached 3 probes"); the marker is on stdout in every release, -f json included.

/** Printed on stdout once every probe is attached when __BPFTRACE_NOTIFY_PROBES_ATTACHED=1. */
export const PROBES_ATTACHED_MARKER = "__BPFTRACE_NOTIFY_PROBES_ATTACHED";

export type StatusLine = { kind: "attached"; probes: number } | { kind: "lost"; events: number } | { kind: "marker" };

const ATTACHED = /^(?:Attaching (\d+) probes?\.\.\.|Attached (\d+) probes?)$/;
const LOST = /^Lost (\d+) events$/;

export function readStatusLine(line: string): StatusLine | null {
  if (line === PROBES_ATTACHED_MARKER) return { kind: "marker" };
  const attached = ATTACHED.exec(line);
  if (attached) return { kind: "attached", probes: Number(attached[1] ?? attached[2]) };
  const lost = LOST.exec(line);
  return lost ? { kind: "lost", events: Number(lost[1]) } : null;
}

export interface RunStatus {
  /** From the attach line, on whichever stream it came; null when there was none. */
  attachedProbes: number | null;
  probesAttachedMarker: boolean;
  /** The sum of all "Lost N events" lines. */
  lostEvents: number;
}

export function noStatus(): RunStatus {
  return { attachedProbes: null, probesAttachedMarker: false, lostEvents: 0 };
}

/** Adds a status line to what is known of the run. */
export function recordStatus(status: RunStatus, line: StatusLine): void {
  switch (line.kind) {
    case "attached":
      status.attachedProbes = line.probes;
      return;
    case "lost":
      status.lostEvents += line.events;
      return;
    case "marker":
      status.probesAttachedMarker = true;
  }
}

/** The status lines among a stream's lines, e.g. bpftrace's stderr in text mode. */
export function statusOf(stream: string): RunStatus {
  const status = noStatus();
  for (const line of stream.split(/\r?\n/)) {
    const read = readStatusLine(line);
    if (read) recordStatus(status, read);
  }
  return status;
}
