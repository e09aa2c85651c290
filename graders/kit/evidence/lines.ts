// Helpers for tasks whose output is printf lines of whitespace-separated fields.

export function fieldsOf(line: string): string[] {
  return line.trim().split(/\s+/).filter(Boolean);
}

/** Up to `count` lines, for an excerpt; says how many more there were. */
export function someLines(lines: readonly string[], count = 8): string[] {
  if (lines.length === 0) return ["(nothing)"];
  return lines.length > count ? [...lines.slice(0, count), `... (${lines.length - count} more lines)`] : [...lines];
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
