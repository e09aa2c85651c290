// bpftrace's output as typed data: what checks read instead of raw terminal text.
// PROVISIONAL: replaced by the parsers in ../bpftrace once they land.
export interface BpftraceOutput {
  /** printf output, one entry per line, without bpftrace's own framing lines. */
  lines: string[];
}

const framing = [/^Attaching \d+ probes?\.\.\.$/, /^__BPFTRACE_NOTIFY_PROBES_ATTACHED$/];

export function parseOutput(stdout: string, _format: "text" | "json"): BpftraceOutput {
  const lines = stdout.split("\n").filter((line) => line !== "" && !framing.some((pattern) => pattern.test(line)));
  return { lines };
}
