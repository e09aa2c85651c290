// A tseries() value in text output (bpftrace 0.24+): a graph of one line per interval between two
// scale lines, e.g.
//                167                                               537
//   hh:mm:ss.ms  |___________________________________________________|
//   12:16:06.200 |                                                   * 537
//   12:16:06.300 *                                                   | 167
//                v___________________________________________________v
//                167                                               537
// An interval without a value ends in "-"; a tseries that holds nothing prints "<no data>".
import type { TimeSeriesPoint } from "./aggregates.ts";

const SCALE = /^ +\S+ +\S+$/;
const HEADER = /^hh:mm:ss(?:\.\w+)? +\|_+\|$/;
const FOOTER = /^ +v_+v$/;
const ROW = /^(\d{2}:\d{2}:\d{2}(?:\.\d+)?) [|*.][ |*.]*[|*.] (-?\d+|-)$/;
const NO_DATA = "<no data>";

/** The points of a tseries graph's lines; null when the lines are no tseries graph. */
export function parseTimeSeriesLines(lines: readonly string[]): TimeSeriesPoint[] | null {
  if (lines.length === 1 && lines[0] === NO_DATA) return [];
  if (lines.length < 4) return null;
  const [top = "", header = ""] = lines;
  const [footer = "", bottom = ""] = lines.slice(-2);
  if (!SCALE.test(top) || !HEADER.test(header) || !FOOTER.test(footer) || !SCALE.test(bottom)) return null;
  const points: TimeSeriesPoint[] = [];
  for (const line of lines.slice(2, -2)) {
    const row = ROW.exec(line);
    if (!row?.[1] || !row[2]) return null;
    points.push({ start: row[1], value: row[2] === "-" ? null : BigInt(row[2]) });
  }
  return points;
}
