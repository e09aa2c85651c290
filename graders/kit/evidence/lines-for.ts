// Which printed line is about which thing the workload did: the first line that holds its value
// (a file's name, say), for the checks that then judge what else those lines hold.
import { fail, pass, type Verdict } from "../exercise.ts";
import { holds, type ValueLine } from "./line-values.ts";
import { plural, someLines } from "./lines.ts";

export interface LineFor<Item> {
  item: Item;
  line?: ValueLine;
}

export type Found<Item> = Required<LineFor<Item>>;

/** Each item with the first line that holds its value, when one does. */
export function linesFor<Item>(items: readonly Item[], valueOf: (item: Item) => string, lines: readonly ValueLine[]): LineFor<Item>[] {
  return items.map((item) => {
    const line = lines.find((candidate) => holds(candidate, valueOf(item)));
    return line ? { item, line } : { item };
  });
}

/** Judges the items a line is about, or says, with `nothingToJudge`, that no line is about any. */
export function withLinesFor<Item>(found: readonly LineFor<Item>[], nothingToJudge: () => Verdict, judge: (found: Found<Item>[]) => Verdict): Verdict {
  const about = found.filter((each): each is Found<Item> => each.line !== undefined);
  return about.length > 0 ? judge(about) : nothingToJudge();
}

/** The command-name check of the tasks that print a line per file: each such line holds `comm`. */
export function eachHoldsTheCommand(found: ReadonlyArray<{ line: ValueLine }>, comm: string): Verdict {
  const wrong = found.filter((each) => !holds(each.line, comm));
  if (wrong.length === 0) return pass;
  return fail(
    `the line of each file should hold the command name (comm), "${comm}" for this workload, but ${plural(wrong.length, "line")} did not.`,
    someLines(wrong.map((each) => each.line.line)),
  );
}
