// Helpers for tasks that print one number per event (a return value, a file descriptor):
// which lines are numbers, and how many of the expected numbers were printed in order.

export interface IntegerLine {
  value: number;
  line: string;
}

/** The lines whose last field is an integer, in order; "fd 3" reads as 3, a header line is skipped. */
export function integerLines(lines: readonly string[]): IntegerLine[] {
  return lines.flatMap((line) => {
    const last = line.trim().split(/\s+/).at(-1) ?? "";
    return /^-?\d+$/.test(last) ? [{ value: Number(last), line }] : [];
  });
}

/** How many of `expected`, from its start and in its order, appear in `printed`; other values may come between. */
export function countInOrder(expected: readonly number[], printed: readonly IntegerLine[]): number {
  let found = 0;
  for (const { value } of printed) if (found < expected.length && value === expected[found]) found++;
  return found;
}
