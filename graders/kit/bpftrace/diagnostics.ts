// bpftrace's messages (src/log.cpp), e.g.
//   prog.bt:3:8-14: ERROR: Unknown function: counts
//     @y = counts();
//          ~~~~~~
// A location is "line:column-endColumn" (end exclusive) followed by the source line and a "~"
// marker (tabs printed as 4 spaces), or "line-endLine": 0.23 prints no source then, 0.24 and
// later print the lines line..endLine as they are, without a marker.
// Messages without a location are "ERROR: ..." or "WARNING: ...". A message may span lines: the
// text after "WARNING: " may even start on the next line (strcontains()'s advice), and the lines
// that follow belong to it up to the source line and marker, or up to the next message.
// clang reports trouble with #include and struct definitions in its own format
// ("definitions.h:2:10: fatal error: ..."); some lines (from libbcc, perror) carry no prefix.
// bpftrace's status lines (status-lines.ts) end a message and are no message themselves.
import { readStatusLine } from "./status-lines.ts";

export type DiagnosticSeverity = "error" | "warning" | "hint" | "bug" | "other";

export interface Diagnostic {
  severity: DiagnosticSeverity;
  /** The script's name as bpftrace was given it, "stdin" for -e programs. */
  file?: string;
  line?: number;
  endLine?: number;
  column?: number;
  endColumn?: number;
  /** May span lines, e.g. strcontains()'s advice or a helper error's "Additional Info - ...". */
  message: string;
  /**
   * The source line and the "~" marker line, as printed, or for a line range the source lines
   * (0.24+); "" when bpftrace printed none.
   */
  excerpt: string;
  /**
   * "clang" for clang's messages, kept whole as printed: their location is in bpftrace's
   * generated definitions.h, not a line of the script.
   */
  origin?: "clang";
}

// With the file name optional, "4:2-5:" could also be file "4", lines 2-5: the single-line
// form is tried first.
const LOCATED_LINE =
  /^(?:(?<file>.*?):)?(?<line>\d+):(?<column>\d+)-(?<endColumn>\d+): (?<severity>ERROR|WARNING|HINT|BUG): (?<message>.*)$/;
const LOCATED_LINES =
  /^(?:(?<file>.*?):)?(?<line>\d+)-(?<endLine>\d+): (?<severity>ERROR|WARNING|HINT|BUG): (?<message>.*)$/;
const UNLOCATED = /^(?<severity>ERROR|WARNING|HINT|BUG): (?<message>.*)$/;
const CLANG = /^[^\s:][^:]*:\d+:\d+: (?<severity>fatal error|error|warning|note): /;
const MARKER = /^ *~+$/;
const ANSI_COLOR = /\x1b\[[0-9;]*m/g;

/**
 * Where a message was printed, which says how far it reaches. On stderr everything up to the next
 * message is bpftrace's. On stdout, messages at run time (0.23's helper errors under -k) sit
 * between the script's own lines, so only a located message's source line and marker, a few
 * lines down, are taken. 0.24 and later also print compile-time warnings on stdout, before the
 * run (in text and -f json output alike): there a line range is followed by its source lines.
 */
export type Stream = "stderr" | "stdout" | "stdout-before-run";
const STDOUT_LINES_BEFORE_MARKER = 4;

/**
 * Parses bpftrace's stderr; colour codes are ignored, blank lines between messages and status
 * lines ("Attached 2 probes") skipped.
 */
export function parseDiagnostics(stderr: string): Diagnostic[] {
  const lines = stderr.replace(ANSI_COLOR, "").split(/\r?\n/);
  const diagnostics: Diagnostic[] = [];
  for (let i = 0; i < lines.length; ) {
    const line = lines[i] ?? "";
    if (line.trim() === "" || readStatusLine(line)) {
      i++;
      continue;
    }
    const read = readDiagnostic(lines, i, "stderr");
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
  stream: Stream = "stdout",
): { diagnostic: Diagnostic; next: number } | null {
  const header = lines[start] ?? "";
  const body = () => (stream === "stderr" ? bodyOf(lines, start) : []);
  const whole = (first: string, rest: readonly string[]) => [first, ...rest].join("\n").replace(/^\n+/, "");

  const clang = CLANG.exec(header)?.groups;
  if (clang) {
    const rest = body();
    const diagnostic: Diagnostic = { severity: clangSeverity(clang["severity"]), message: whole(header, rest), excerpt: "", origin: "clang" };
    return { diagnostic, next: start + 1 + rest.length };
  }
  const unlocated = UNLOCATED.exec(header)?.groups;
  if (unlocated) {
    const rest = body();
    const diagnostic: Diagnostic = { severity: severityOf(unlocated["severity"]), message: whole(unlocated["message"] ?? "", rest), excerpt: "" };
    return { diagnostic, next: start + 1 + rest.length };
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
    const sourceCount = diagnostic.endLine - Number(located["line"]) + 1;
    const rest =
      stream === "stderr" ? bodyOf(lines, start) : stream === "stdout-before-run" ? sourceLinesAfter(lines, start, sourceCount) : additionalInfo(lines, start);
    // 0.23 prints none of the source lines, so a body shorter than the range is message text.
    const source = rest.length >= sourceCount ? rest.slice(rest.length - sourceCount) : [];
    diagnostic.message = whole(diagnostic.message, rest.slice(0, rest.length - source.length));
    diagnostic.excerpt = source.join("\n");
    return { diagnostic, next: start + 1 + rest.length };
  }
  diagnostic.endLine = diagnostic.line;
  diagnostic.column = Number(located["column"]);
  diagnostic.endColumn = Number(located["endColumn"]);

  const marker = findMarker(lines, start, stream);
  if (marker === null) {
    const rest = body();
    diagnostic.message = whole(diagnostic.message, rest);
    return { diagnostic, next: start + 1 + rest.length };
  }
  diagnostic.message = whole(diagnostic.message, lines.slice(start + 1, marker - 1));
  diagnostic.excerpt = `${lines[marker - 1]}\n${lines[marker]}`;
  return { diagnostic, next: marker + 1 };
}

/** The lines after lines[header] up to the next message, without trailing blank lines. */
function bodyOf(lines: readonly string[], header: number): string[] {
  let end = header + 1;
  while (end < lines.length && !startsMessage(lines[end] ?? "")) end++;
  while (end > header + 1 && (lines[end - 1] ?? "").trim() === "") end--;
  return lines.slice(header + 1, end);
}

/** A helper error's "Additional Info - helper: ..." line after lines[header], if there is one. */
function additionalInfo(lines: readonly string[], header: number): string[] {
  const next = lines[header + 1];
  return next?.startsWith("Additional Info - ") ? [next] : [];
}

/** The `count` lines after a line-range message, when there are as many and none starts a message. */
function sourceLinesAfter(lines: readonly string[], header: number, count: number): string[] {
  const following = lines.slice(header + 1, header + 1 + count);
  return following.length === count && !following.some(startsMessage) ? following : [];
}

function findMarker(lines: readonly string[], header: number, stream: Stream): number | null {
  const last = stream === "stderr" ? lines.length - 1 : Math.min(lines.length - 1, header + 1 + STDOUT_LINES_BEFORE_MARKER);
  for (let i = header + 1; i <= last; i++) {
    const line = lines[i] ?? "";
    if (startsMessage(line)) return null;
    if (i >= header + 2 && MARKER.test(line)) return i;
  }
  return null;
}

function startsMessage(line: string): boolean {
  return UNLOCATED.test(line) || isLocatedDiagnostic(line) || CLANG.test(line) || readStatusLine(line) !== null;
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

function clangSeverity(kind: string | undefined): DiagnosticSeverity {
  if (kind === "warning") return "warning";
  return kind === "note" ? "hint" : "error";
}

/** For students: "line 3: Unknown function: counts" (or "line 3: warning: ...") and the excerpt. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const { line, endLine, severity, message, excerpt, origin } = diagnostic;
  const where =
    line === undefined
      ? ""
      : endLine !== undefined && endLine !== line
        ? `lines ${line}-${endLine}: `
        : `line ${line}: `;
  const kind = severity === "error" || severity === "other" || origin === "clang" ? "" : `${severity}: `;
  return `${where}${kind}${message}${excerpt === "" ? "" : `\n${excerpt}`}`;
}
