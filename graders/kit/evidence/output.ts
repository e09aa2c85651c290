// bpftrace's output as typed data: what checks read instead of raw terminal text.
import { parseJsonOutput, printfLines, type JsonOutput } from "../bpftrace/json-output.ts";
import { parseTextOutput, type TextOutput } from "../bpftrace/text-output.ts";

interface Lines {
  /** What the script printed with printf (and print() of non-maps, in text mode), line by line. */
  lines: string[];
}

export type BpftraceOutput = (Lines & { format: "text"; text: TextOutput }) | (Lines & { format: "json"; json: JsonOutput });

export function parseOutput(stdout: string, format: "text" | "json"): BpftraceOutput {
  if (format === "json") {
    const json = parseJsonOutput(stdout);
    return { format, json, lines: printfLines(json.events) };
  }
  const text = parseTextOutput(stdout);
  return { format, text, lines: text.lines };
}
