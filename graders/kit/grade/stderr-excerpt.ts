// bpftrace's messages as a failed check's excerpt shows them: whole, in the order bpftrace
// printed them, fitted to the excerpt's size.
import { formatDiagnostic, parseDiagnostics, type Diagnostic } from "../bpftrace/diagnostics.ts";
import { excerptLines, excerptWidth, trimExcerpt } from "./excerpt.ts";

// The memlock warning is about the machine, not the script: students cannot act on it.
const machineWarning = /RLIMIT_MEMLOCK/;

// An excerpt shows at most excerptLines lines of excerptWidth characters: bpftrace's messages
// are fitted to that, so that none is cut in the middle.
const ellipsis = "...";

/** bpftrace's messages on stderr, without the machine's warnings. */
export function bpftraceMessages(stderr: string): Diagnostic[] {
  return parseDiagnostics(stderr).flatMap((diagnostic): Diagnostic[] => {
    const [first = "", ...rest] = diagnostic.message.split("\n");
    if (diagnostic.severity !== "warning" || !machineWarning.test(first)) return [diagnostic];
    // That warning is one line: unprefixed lines after it were printed by someone else (libbcc).
    return rest.length > 0 ? [{ severity: "other", message: rest.join("\n"), excerpt: "" }] : [];
  });
}

/** Prose lines wrapped at spaces to the excerpt's width. */
function wrap(line: string): string[] {
  const lines: string[] = [];
  let rest = line;
  while (rest.length > excerptWidth) {
    const space = rest.lastIndexOf(" ", excerptWidth);
    lines.push(rest.slice(0, space > 0 ? space : excerptWidth));
    rest = rest.slice(space > 0 ? space + 1 : excerptWidth);
  }
  return [...lines, rest];
}

/** A source line too wide for the excerpt, and its marker, cut to the same window around the marker. */
function windowed(source: string, marker: string): string[] {
  if (source.length <= excerptWidth) return [source, marker];
  const room = excerptWidth - 2 * ellipsis.length;
  const start = Math.max(0, Math.min(marker.indexOf("~") - ellipsis.length, source.length - room));
  const before = start > 0 ? ellipsis : "";
  const after = start + room < source.length ? ellipsis : "";
  return [before + source.slice(start, start + room) + after, " ".repeat(before.length) + marker.slice(start, start + room)];
}

function linesOf(diagnostic: Diagnostic): string[] {
  const text = formatDiagnostic({ ...diagnostic, excerpt: "" }).split("\n").flatMap(wrap);
  if (diagnostic.excerpt === "") return text;
  // A line range (0.24+) comes with its source lines and no marker.
  if (diagnostic.endLine !== diagnostic.line) return [...text, ...trimExcerpt(diagnostic.excerpt.split("\n"))];
  const [source = "", marker = ""] = diagnostic.excerpt.split("\n");
  return [...text, ...windowed(source, marker)];
}

/** Errors before bpftrace's unprefixed lines, before its warnings and hints. */
function rank(diagnostic: Diagnostic): number {
  switch (diagnostic.severity) {
    case "error":
    case "bug":
      return 0;
    case "other":
      return 1;
    default:
      return 2;
  }
}

/**
 * bpftrace's messages whole, in the order it printed them; when they do not all fit, errors are
 * kept first and a last line counts the messages left out (the transcript has every one).
 */
export function stderrExcerpt(stderr: string): string[] {
  const diagnostics = bpftraceMessages(stderr);
  if (diagnostics.length === 0) return stderr.split("\n").filter((line) => line.trim() !== "").flatMap(wrap).slice(0, excerptLines);
  const blocks = diagnostics.map(linesOf);
  const byRank = blocks.map((_, index) => index).sort((a, b) => rank(diagnostics[a] as Diagnostic) - rank(diagnostics[b] as Diagnostic) || a - b);
  const chosen = (budget: number) => {
    const kept = new Set<number>();
    let used = 0;
    for (const index of byRank) {
      const size = blocks[index]?.length ?? 0;
      if (used + size <= budget) {
        kept.add(index);
        used += size;
      }
    }
    return kept;
  };
  let kept = chosen(excerptLines);
  if (kept.size === blocks.length) return blocks.flat();
  kept = chosen(excerptLines - 1);
  if (kept.size === 0) {
    return [...(blocks[byRank[0] ?? 0] ?? []).slice(0, excerptLines - 1), "(bpftrace's message goes on: the run's transcript has all of it)"];
  }
  const left = blocks.length - kept.size;
  return [
    ...blocks.flatMap((block, index) => (kept.has(index) ? block : [])),
    `(bpftrace printed ${left} more message${left === 1 ? "" : "s"}: the run's transcript has them all)`,
  ];
}
