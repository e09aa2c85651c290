// Helpers for tasks whose output is printf lines of whitespace-separated fields.

export function fieldsOf(line: string): string[] {
  return line.trim().split(/\s+/).filter(Boolean);
}

/** A printf line that starts with the command name and ends with a file name. */
export interface CommLine {
  comm: string;
  /** The fields between the first and the last. */
  middle: string[];
  last: string;
  line: string;
}

/** The lines of at least two fields, read as "<comm> ... <last>". */
export function commLines(lines: readonly string[]): CommLine[] {
  return lines.flatMap((line) => {
    const fields = fieldsOf(line);
    const [comm, last] = [fields[0], fields.at(-1)];
    return fields.length >= 2 && comm !== undefined && last !== undefined ? [{ comm, middle: fields.slice(1, -1), last, line }] : [];
  });
}

/** Up to `count` lines, for an excerpt; says how many more there were. */
export function someLines(lines: readonly string[], count = 8): string[] {
  if (lines.length === 0) return ["(nothing)"];
  return lines.length > count ? [...lines.slice(0, count), `... (${lines.length - count} more lines)`] : [...lines];
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
