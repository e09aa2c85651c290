// For tasks that print one number per event (a return value, a file descriptor): which lines hold
// the numbers the workload produced, in the order it produced them.
import { integersIn, shapeOf, type ValueLine } from "./line-values.ts";
import { formatOf, type PrintfFormat } from "./printf-formats.ts";

export interface InOrder {
  /** How many of the expected values, from the first, were found in order. */
  found: number;
  /** The lines that held them. */
  matched: ValueLine[];
  /** The other lines that hold integers. */
  unmatched: ValueLine[];
}

/** Walks the lines that hold integers: a line that holds the next expected value takes it; other lines may come between. */
export function integersInOrder(expected: readonly bigint[], lines: readonly ValueLine[]): InOrder {
  const result: InOrder = { found: 0, matched: [], unmatched: [] };
  for (const line of lines) {
    const integers = integersIn(line);
    if (integers.length === 0) continue;
    const next = expected[result.found];
    if (next !== undefined && integers.includes(next)) {
      result.found++;
      result.matched.push(line);
    } else {
      result.unmatched.push(line);
    }
  }
  return result;
}

/**
 * Lines that did not match but were printed like those that did: events the workload did not
 * make, such as other processes'. "Like" means by the same printf format of the script, when a
 * format accounts for the line (so a header or a summary printed by another printf never counts);
 * else (print(), or a format the kit cannot read) by the same shape of words and numbers.
 */
export function eventsNotOfTheWorkload(inOrder: InOrder, printfs: readonly PrintfFormat[]): ValueLine[] {
  const eventFormats = new Set(inOrder.matched.map((line) => formatOf(line.line, printfs)));
  const eventShapes = new Set(inOrder.matched.filter((line) => formatOf(line.line, printfs) === undefined).map(shapeOf));
  return inOrder.unmatched.filter((line) => {
    const format = formatOf(line.line, printfs);
    return format ? eventFormats.has(format) : eventShapes.has(shapeOf(line));
  });
}
