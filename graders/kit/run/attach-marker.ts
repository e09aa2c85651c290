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

/**
 * For showing bpftrace's output live: passes it through byte for byte with the marker line taken
 * out. Output is held back only until the marker line is complete, which is at most a line or two.
 */
export class AttachMarkerFilter {
  private held = Buffer.alloc(0);
  private passing = false;

  push(chunk: Uint8Array): Uint8Array {
    if (this.passing) return chunk;
    this.held = Buffer.concat([this.held, chunk]);
    const at = this.held.indexOf(`${attachedMarker}\n`);
    if (at < 0) return new Uint8Array();
    this.passing = true;
    return Buffer.concat([this.held.subarray(0, at), this.held.subarray(at + attachedMarker.length + 1)]);
  }

  /** What is still held when the output ends without the marker (bpftrace never attached). */
  flush(): Uint8Array {
    return this.passing ? new Uint8Array() : this.held;
  }
}
