// For tasks that print one number per event (a return value, a file descriptor): which lines hold
// the numbers the workload produced, in the order it produced them.
import { integersIn, shapeOf, type ValueLine } from "./line-values.ts";

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
 * Lines that did not match but look like those that did (the same printf, see shapeOf): events
 * the workload did not make, such as other processes'. A header or a summary looks different.
 */
export function eventsNotOfTheWorkload(inOrder: InOrder): ValueLine[] {
  const shapes = new Set(inOrder.matched.map(shapeOf));
  return inOrder.unmatched.filter((line) => shapes.has(shapeOf(line)));
}
