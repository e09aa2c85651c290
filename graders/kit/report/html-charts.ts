// Charts as inline SVG, each with a title and a description for screen readers and the numbers
// it draws in a data table beside it.
import type { FigureBucket, HistogramFigure } from "../grade/results.ts";
import { histBucketLabel } from "../evidence/json-excerpt.ts";
import { html, type Html } from "./html-markup.ts";
import { plural } from "../evidence/lines.ts";

/** Unique, deterministic element ids within one page. */
export class PageIds {
  private count = 0;
  next(prefix: string): string {
    this.count++;
    return `${prefix}-${this.count}`;
  }
}

const chartWidth = 480;
const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * A chart: its caption names it (and the SVG and the table), the SVG's description says what it
 * shows, and the numbers it draws are in a table beside it.
 */
function chartFigure(ids: PageIds, chart: { title: string; legend?: Html; height: number; description: string; svg: Html; headers: readonly string[]; rows: ReadonlyArray<readonly [string, ...number[]]> }): Html {
  const captionId = ids.next("chart");
  const descId = ids.next("chart-desc");
  const headers = chart.headers.map((header, index) => html`<th scope="col"${index > 0 ? html` class="num"` : ""}>${header}</th>`);
  const rows = chart.rows.map(([label, ...values]) => html`<tr><th scope="row">${label}</th>${values.map((value) => html`<td class="num">${value}</td>`)}</tr>`);
  return html`<figure><figcaption id="${captionId}">${chart.title}</figcaption>${chart.legend ?? ""}<svg role="img" aria-labelledby="${captionId} ${descId}" viewBox="0 0 ${chartWidth} ${chart.height}"><desc id="${descId}">${chart.description}</desc>${chart.svg}</svg><details class="data"><summary>The numbers</summary><div class="table-box"><table aria-labelledby="${captionId}"><thead><tr>${headers}</tr></thead><tbody>${rows}</tbody></table></div></details></figure>`;
}

export interface ScoreBin {
  label: string;
  count: number;
}

/** One bin per possible score when there are few, about twenty otherwise. */
export function scoreBins(scores: readonly number[], max: number): ScoreBin[] {
  const width = max <= 24 ? 1 : Math.ceil((max + 1) / 20);
  const bins: ScoreBin[] = [];
  for (let low = 0; low <= max; low += width) {
    const high = Math.min(low + width - 1, max);
    const count = scores.filter((score) => Math.floor(score) >= low && Math.floor(score) <= high).length;
    bins.push({ label: width === 1 ? String(low) : `${low}–${high}`, count });
  }
  return bins;
}

/** A column chart of how many students got each score. */
export function scoreDistributionChart(ids: PageIds, title: string, scores: readonly number[], max: number): Html {
  const bins = scoreBins(scores, max);
  const height = 200;
  const [left, right, top, bottom] = [34, 8, 12, 34];
  const plotWidth = chartWidth - left - right;
  const plotHeight = height - top - bottom;
  const most = Math.max(1, ...bins.map((bin) => bin.count));
  const step = plotWidth / bins.length;
  const labelEvery = Math.ceil(bins.length / 12);
  const bars = bins.map((bin, index) => {
    const barHeight = (bin.count / most) * plotHeight;
    const x = left + index * step;
    const label = index % labelEvery === 0 ? html`<text x="${round1(x + step / 2)}" y="${height - bottom + 16}" text-anchor="middle" font-size="12">${bin.label}</text>` : "";
    return html`<rect x="${round1(x + step * 0.1)}" y="${round1(top + plotHeight - barHeight)}" width="${round1(step * 0.8)}" height="${round1(barHeight)}" fill="#0969da"><title>${bin.label} points: ${plural(bin.count, "student")}</title></rect>${label}`;
  });
  const axes = html`<line x1="${left}" y1="${top + plotHeight}" x2="${chartWidth - right}" y2="${top + plotHeight}" stroke="#57606a"/><text x="${left - 6}" y="${top + 4}" text-anchor="end" font-size="12">${most}</text><text x="${left - 6}" y="${top + plotHeight}" text-anchor="end" font-size="12">0</text><text x="${left + plotWidth / 2}" y="${height - 2}" text-anchor="middle" font-size="12">points (of ${max})</text>`;
  const busiest = bins.reduce((best, bin) => (bin.count > best.count ? bin : best), bins[0] ?? { label: "-", count: 0 });
  const description = scores.length === 0
    ? "No student was graded."
    : `${plural(scores.length, "student")}; the most common score is ${busiest.label} points (${plural(busiest.count, "student")}). ${bins.filter((bin) => bin.count > 0).map((bin) => `${bin.label}: ${bin.count}`).join(", ")}.`;
  return chartFigure(ids, { title, height, description, svg: html`${axes}${bars}`, headers: ["points", "students"], rows: bins.map((bin) => [bin.label, bin.count] as const) });
}

function bucketKey(bucket: FigureBucket): string {
  return `${bucket.low ?? "-"}:${bucket.high ?? "+"}`;
}

/**
 * The buckets any series filled, lowest first; a run of empty buckets between two filled ones
 * becomes one empty bucket spanning them, so the rows stay few and no gap is hidden.
 */
function sharedBuckets(figure: HistogramFigure): FigureBucket[] {
  const filled = new Map<string, FigureBucket>();
  for (const series of figure.series) for (const bucket of series.buckets) if (bucket.count > 0) filled.set(bucketKey(bucket), { ...bucket, count: 0 });
  const ordered = [...filled.values()].sort((a, b) => (a.low ?? -Infinity) - (b.low ?? -Infinity));
  return ordered.flatMap((bucket, index) => {
    const next = ordered[index + 1];
    const gap = next && bucket.high !== null && next.low !== null && bucket.high < next.low;
    return gap ? [bucket, { low: bucket.high, high: next.low, count: 0 }] : [bucket];
  });
}

const seriesClass = (index: number) => `s${index % 4}`;

/** Histograms side by side: a row per bucket, a bar per series, as bpftrace prints a hist(). */
export function histogramChart(ids: PageIds, figure: HistogramFigure): Html {
  const buckets = sharedBuckets(figure);
  const countIn = (series: HistogramFigure["series"][number], bucket: FigureBucket) => series.buckets.find((each) => bucketKey(each) === bucketKey(bucket))?.count ?? 0;
  const counts = buckets.map((bucket) => figure.series.map((series) => countIn(series, bucket)));
  const most = Math.max(1, ...counts.flat());
  const [labelWidth, countWidth, barHeight, gap] = [96, 40, 14, 8];
  const rowHeight = figure.series.length * barHeight + gap;
  const height = Math.max(rowHeight, buckets.length * rowHeight) + 4;
  const plotWidth = chartWidth - labelWidth - countWidth;
  const rows = buckets.map((bucket, row) => {
    const y = row * rowHeight + 2;
    const bars = counts[row]!.map((count, index) => {
      if (count === 0) return "";
      const width = Math.max(1, Math.round((count / most) * plotWidth));
      const barY = y + index * barHeight;
      return html`<rect class="${seriesClass(index)}" x="${labelWidth}" y="${barY}" width="${width}" height="${barHeight - 2}"/><text x="${labelWidth + width + 4}" y="${barY + barHeight - 4}">${count}</text>`;
    });
    return html`<text class="bucket" x="${labelWidth - 6}" y="${y + (figure.series.length * barHeight) / 2 + 4}">${histBucketLabel(bucket)}</text>${bars}`;
  });
  // The numbers are in the table beside the chart: the description says what it shows.
  const range = buckets.length > 0 ? ` from ${histBucketLabel(buckets[0]!)} to ${histBucketLabel(buckets.at(-1)!)} ${figure.unit}` : "";
  const description = `Histograms side by side${range}: ${figure.series.map((series) => `${series.label}, ${series.buckets.reduce((sum, bucket) => sum + bucket.count, 0)} in total`).join("; ")}.`;
  const legend = html`<ul class="legend">${figure.series.map((series, index) => html`<li><span class="swatch ${seriesClass(index)}"></span>${series.label}</li>`)}</ul>`;
  return chartFigure(ids, {
    title: figure.title,
    legend,
    height,
    description,
    svg: html`${rows}`,
    headers: [`bucket (${figure.unit})`, ...figure.series.map((series) => series.label)],
    rows: buckets.map((bucket, row) => [histBucketLabel(bucket), ...counts[row]!] as const),
  });
}
