// Helpers for the messages of checks on printed lines.

/** Up to `count` lines, for an excerpt; says how many more there were. */
export function someLines(lines: readonly string[], count = 8): string[] {
  if (lines.length === 0) return ["(nothing)"];
  return lines.length > count ? [...lines.slice(0, count), `... (${lines.length - count} more lines)`] : [...lines];
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
