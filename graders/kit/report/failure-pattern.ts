// Failure messages name what this run drew (files, commands, fds, lock addresses, counts), so
// two students who made the same mistake get different sentences. Their pattern, with those
// values replaced by placeholders, is what the class report counts.

/** File names as the workloads draw them: a random word with one of these extensions. */
const drawnFileName = /\b[\w-]+\.(?:txt|log|tmp|dat|out|bin|conf|state|cache|so(?:\.\d+)?)\b/g;

/** The message with what the run drew replaced: "…" for names and paths, N for numbers. */
export function failurePattern(message: string): string {
  return (
    message
      .replace(/"[^"\n]*"/g, '"…"')
      .replace(/(^|[\s(\[,=])(?:\/[\w.-]+){2,}\/?/g, "$1…")
      .replace(drawnFileName, "…")
      .replace(/\b0x[\da-f]+\b/gi, "0x…")
      // A count, size or time, or a hist() bound (512K); not the 1 of $1 or arg1, a version
      // (6.12.1), nor a man page section as in open(2).
      .replace(/(?<![$\w.]|\w\()\d+(?:\.\d+)?(?=[KMGTPE]?\b)(?![\d.]*\d)/g, "N")
      // A list of numbers ("returned 3, 4, 5") is one value, whatever its length.
      .replace(/\bN(?:,? N\b)+/g, "N, N, …")
  );
}

/**
 * Patterns that differ only in grammatical number ("N line had" / "N lines have"), as
 * plural() writes them, are the same failure.
 */
export function failureGroupKey(pattern: string): string {
  return pattern
    .replace(/\b(?:is|are)\b/g, "is")
    .replace(/\b(?:was|were)\b/g, "was")
    .replace(/\b(\w{3,})s\b/g, "$1");
}
