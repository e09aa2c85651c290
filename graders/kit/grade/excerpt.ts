// Excerpts stay readable whatever was printed: a dozen lines, each cut to a line's width.
export const excerptLines = 12;
export const excerptWidth = 160;

export function headOf(text: string): string[] {
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  return lines.length > excerptLines ? [...lines.slice(0, excerptLines), `... (${lines.length - excerptLines} more lines)`] : lines;
}

export function trimExcerpt(lines: readonly string[]): string[] {
  const cut = lines.map((line) => (line.length > excerptWidth ? `${line.slice(0, excerptWidth)}... (${line.length} characters)` : line));
  return cut.length > excerptLines ? [...cut.slice(0, excerptLines), `... (${cut.length - excerptLines} more lines)`] : cut;
}
