// For tasks that print one number per event (a return value, a file descriptor): which lines hold
// the numbers the workload produced, in the order it produced them.
import { integersIn, shapeOf, type ValueLine } from "./line-values.ts";
import { formatOf, type PrintfFormat } from "./printf-formats.ts";

export interface InOrder<Item = ValueLine> {
  /** How many of the expected values, from the first, were found in order. */
  found: number;
  /** The items that held them. */
  matched: Item[];
  /** The other items. */
  unmatched: Item[];
}

/** Walks the items: one that holds the next expected value takes it; others may come between. */
export function inOrder<Item, Value>(expected: readonly Value[], items: readonly Item[], holdsValue: (item: Item, value: Value) => boolean): InOrder<Item> {
  const result: InOrder<Item> = { found: 0, matched: [], unmatched: [] };
  for (const item of items) {
    const next = expected[result.found];
    if (next !== undefined && holdsValue(item, next)) {
      result.found++;
      result.matched.push(item);
    } else {
      result.unmatched.push(item);
    }
  }
  return result;
}

/** inOrder over the lines that hold integers. */
export function integersInOrder(expected: readonly bigint[], lines: readonly ValueLine[]): InOrder {
  return inOrder(
    expected,
    lines.filter((line) => integersIn(line).length > 0),
    (line, value) => integersIn(line).includes(value),
  );
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
