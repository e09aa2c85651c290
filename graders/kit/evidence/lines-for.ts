// Which printed line is about which thing the workload did: the first line that holds its value
// (a file's name, say), for the checks that then judge what else those lines hold.
import type { Verdict } from "../exercise.ts";
import { holds, type ValueLine } from "./line-values.ts";

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
