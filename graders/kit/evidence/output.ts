// bpftrace's output as typed data: what checks read instead of raw terminal text.
import { parseJsonOutput, printfLines, type JsonOutput } from "../bpftrace/json-output.ts";
import { mapKeyUse } from "../bpftrace/script-maps.ts";
import { parseTextOutput, type TextOutput } from "../bpftrace/text-output.ts";

interface Common {
  /** What the script printed with printf (and print() of non-maps, in text mode), line by line. */
  lines: string[];
  /**
   * Lines of stdout bpflab could not read: a JSON line of a type it does not know, a map print
   * it cannot parse. The checks do not see what they hold, so the grade says so.
   */
  unread: string[];
}

export type BpftraceOutput = (Common & { format: "text"; text: TextOutput }) | (Common & { format: "json"; json: JsonOutput });

export interface RunContext {
  /** bpftrace's stderr: 0.24 and later print the attach and lost-event lines there. */
  stderr?: string;
  /** The script that ran: says which maps have keys where -f json cannot (0.24+). */
  script?: string;
}

export function parseOutput(stdout: string, format: "text" | "json", context: RunContext = {}): BpftraceOutput {
  if (format === "json") {
    const json = parseJsonOutput(stdout, context.script === undefined ? {} : { mapKeys: mapKeyUse(context.script) });
    return { format, json, lines: printfLines(json.events), unread: json.unread };
  }
  const text = parseTextOutput(stdout, context.stderr);
  return { format, text, lines: text.lines, unread: text.unread };
}
