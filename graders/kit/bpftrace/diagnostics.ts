// bpftrace's messages (src/log.cpp), e.g.
//   prog.bt:3:8-14: ERROR: Unknown function: counts
//     @y = counts();
//          ~~~~~~
// A location is "line:column-endColumn" (end exclusive) followed by the source line and a "~"
// marker, or "line-endLine" without either. Tabs in the excerpt are printed as 4 spaces.
// Messages without a location are "ERROR: ..." or "WARNING: ..."; some lines (from libbpf,
// perror) carry no prefix at all.

export type DiagnosticSeverity = "error" | "warning" | "hint" | "bug" | "other";

export interface Diagnostic {
  severity: DiagnosticSeverity;
  /** The script's name as bpftrace was given it, "stdin" for -e programs. */
  file?: string;
  line?: number;
  endLine?: number;
  column?: number;
  endColumn?: number;
  /** May span lines, e.g. a helper error's "Additional Info - helper: probe_read, retcode: -14". */
  message: string;
  /** The source line and the "~" marker line, as printed; "" when bpftrace printed none. */
  excerpt: string;
}

// With the file name optional, "4:2-5:" could also be file "4", lines 2-5: the single-line
// form is tried first.
const LOCATED_LINE =
  /^(?:(?<file>.*?):)?(?<line>\d+):(?<column>\d+)-(?<endColumn>\d+): (?<severity>ERROR|WARNING|HINT|BUG): (?<message>.*)$/;
const LOCATED_LINES =
  /^(?:(?<file>.*?):)?(?<line>\d+)-(?<endLine>\d+): (?<severity>ERROR|WARNING|HINT|BUG): (?<message>.*)$/;
const UNLOCATED = /^(?<severity>ERROR|WARNING|HINT|BUG): (?<message>.*)$/;
const MARKER = /^ *~+$/;
// Lines a located single-line message may take before its marker: message continuation lines
// and the source line.
const MAX_LINES_BEFORE_MARKER = 4;
const ANSI_COLOR = /\x1b\[[0-9;]*m/g;

/** Parses bpftrace's stderr; colour codes are ignored, blank lines skipped. */
export function parseDiagnostics(stderr: string): Diagnostic[] {
  const lines = stderr.replace(ANSI_COLOR, "").split(/\r?\n/);
  const diagnostics: Diagnostic[] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i] ?? "";
    if (line.trim() === "") {
      i++;
      continue;
    }
    const read = readDiagnostic(lines, i);
    if (read) {
      diagnostics.push(read.diagnostic);
      i = read.next;
    } else {
      diagnostics.push({ severity: "other", message: line, excerpt: "" });
      i++;
    }
  }
  return diagnostics;
}

/**
 * Reads the message that starts at lines[start], with its continuation and excerpt lines.
 * Returns null if lines[start] does not start a message; next is the index after the message.
 */
export function readDiagnostic(
  lines: readonly string[],
  start: number,
): { diagnostic: Diagnostic; next: number } | null {
  const header = lines[start] ?? "";
  const unlocated = UNLOCATED.exec(header)?.groups;
  if (unlocated) {
    const diagnostic = {
      severity: severityOf(unlocated["severity"]),
      message: unlocated["message"] ?? "",
      excerpt: "",
    };
    return { diagnostic, next: start + 1 };
  }
  const located = (LOCATED_LINE.exec(header) ?? LOCATED_LINES.exec(header))?.groups;
  if (!located) return null;

  const diagnostic: Diagnostic = {
    severity: severityOf(located["severity"]),
    ...(located["file"] === undefined ? {} : { file: located["file"] }),
    line: Number(located["line"]),
    message: located["message"] ?? "",
    excerpt: "",
  };
  if (located["endLine"] !== undefined) {
    diagnostic.endLine = Number(located["endLine"]);
    return { diagnostic, next: start + 1 };
  }
  diagnostic.endLine = diagnostic.line;
  diagnostic.column = Number(located["column"]);
  diagnostic.endColumn = Number(located["endColumn"]);

  const marker = findMarker(lines, start);
  if (marker === null) return { diagnostic, next: start + 1 };
  const continuation = lines.slice(start + 1, marker - 1);
  diagnostic.message = [diagnostic.message, ...continuation].join("\n");
  diagnostic.excerpt = `${lines[marker - 1]}\n${lines[marker]}`;
  return { diagnostic, next: marker + 1 };
}

function findMarker(lines: readonly string[], header: number): number | null {
  const last = Math.min(lines.length - 1, header + 1 + MAX_LINES_BEFORE_MARKER);
  for (let i = header + 1; i <= last; i++) {
    const line = lines[i] ?? "";
    if (UNLOCATED.test(line) || isLocatedDiagnostic(line)) return null;
    if (i >= header + 2 && MARKER.test(line)) return i;
  }
  return null;
}

/** Whether line starts a message with a script location, e.g. "prog.bt:3:10-34: WARNING: ...". */
export function isLocatedDiagnostic(line: string): boolean {
  return LOCATED_LINE.test(line) || LOCATED_LINES.test(line);
}

function severityOf(prefix: string | undefined): DiagnosticSeverity {
  switch (prefix) {
    case "ERROR":
      return "error";
    case "WARNING":
      return "warning";
    case "HINT":
      return "hint";
    case "BUG":
      return "bug";
    default:
      return "other";
  }
}

/** For students: "line 3: Unknown function: counts" (or "line 3: warning: ...") and the excerpt. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const { line, endLine, severity, message, excerpt } = diagnostic;
  const where =
    line === undefined
      ? ""
      : endLine !== undefined && endLine !== line
        ? `lines ${line}-${endLine}: `
        : `line ${line}: `;
  const kind = severity === "error" || severity === "other" ? "" : `${severity}: `;
  return `${where}${kind}${message}${excerpt === "" ? "" : `\n${excerpt}`}`;
}
