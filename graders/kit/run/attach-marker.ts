// With this variable set, bpftrace prints this line on stdout once every probe is attached:
// the signal bpftrace's own runtime tests start their workloads on.
export const attachedMarker = "__BPFTRACE_NOTIFY_PROBES_ATTACHED";

/**
 * Finds the marker in a stream of output chunks wherever the chunk boundaries fall. A chunk may
 * carry the marker followed by kilobytes of a flooding script's output, so every chunk is searched
 * whole; only the marker's length minus one is carried over to the next.
 */
export class AttachMarkerScanner {
  private carried = "";
  seen = false;

  feed(chunk: string): boolean {
    if (this.seen) return true;
    const window = this.carried + chunk;
    this.seen = window.includes(attachedMarker);
    this.carried = window.slice(-(attachedMarker.length - 1));
    return this.seen;
  }
}
