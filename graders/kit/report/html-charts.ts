// Charts as inline SVG, each with a title and a description for screen readers and the numbers
// it draws in a data table beside it.
import type { FigureBucket, HistogramFigure } from "../grade/results.ts";
import { histBucketLabel } from "../evidence/json-excerpt.ts";
import { html, type Html } from "./html-markup.ts";

/** Unique, deterministic element ids within one page. */
export class PageIds {
  private count = 0;
  next(prefix: string): string {
    this.count++;
    return `${prefix}-${this.count}`;
  }
}

const chartWidth = 480;
const seriesColors = ["#0969da", "#bc4c00", "#8250df", "#1a7f37"];
const round1 = (value: number) => Math.round(value * 10) / 10;

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function svgFrame(ids: PageIds, width: number, height: number, title: string, description: string, body: Html): Html {
  const titleId = ids.next("chart-title");
  const descId = ids.next("chart-desc");
  return html`<svg role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title id="${titleId}">${title}</title><desc id="${descId}">${description}</desc>${body}</svg>`;
}

function dataTable(caption: string, headers: readonly string[], rows: ReadonlyArray<readonly [string, ...number[]]>): Html {
  return html`<details class="data"><summary>${caption} as a table</summary><div class="table-box"><table><thead><tr>${headers.map((header, index) => html`<th scope="col"${index > 0 ? html` class="num"` : ""}>${header}</th>`)}</tr></thead><tbody>${rows.map(([label, ...values]) => html`<tr><th scope="row">${label}</th>${values.map((value) => html`<td class="num">${value}</td>`)}</tr>`)}</tbody></table></div></details>`;
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
    const label = index % labelEvery === 0 || index === bins.length - 1 ? html`<text x="${round1(x + step / 2)}" y="${height - bottom + 16}" text-anchor="middle" font-size="12">${bin.label}</text>` : "";
    return html`<rect x="${round1(x + step * 0.1)}" y="${round1(top + plotHeight - barHeight)}" width="${round1(step * 0.8)}" height="${round1(barHeight)}" fill="#0969da"><title>${bin.label} points: ${plural(bin.count, "student")}</title></rect>${label}`;
  });
  const axes = html`<line x1="${left}" y1="${top + plotHeight}" x2="${chartWidth - right}" y2="${top + plotHeight}" stroke="#57606a"/><text x="${left - 6}" y="${top + 4}" text-anchor="end" font-size="12">${most}</text><text x="${left - 6}" y="${top + plotHeight}" text-anchor="end" font-size="12">0</text><text x="${left + plotWidth / 2}" y="${height - 2}" text-anchor="middle" font-size="12">points (of ${max})</text>`;
  const busiest = bins.reduce((best, bin) => (bin.count > best.count ? bin : best), bins[0] ?? { label: "-", count: 0 });
  const description = scores.length === 0
    ? "No student was graded."
    : `${plural(scores.length, "student")}; the most common score is ${busiest.label} points (${plural(busiest.count, "student")}). ${bins.filter((bin) => bin.count > 0).map((bin) => `${bin.label}: ${bin.count}`).join(", ")}.`;
  return html`<figure><figcaption>${title}</figcaption>${svgFrame(ids, chartWidth, height, title, description, html`${axes}${bars}`)}${dataTable(title, ["points", "students"], bins.map((bin) => [bin.label, bin.count] as const))}</figure>`;
}

function bucketKey(bucket: FigureBucket): string {
  return `${bucket.low ?? "-"}:${bucket.high ?? "+"}`;
}

/** The buckets of every series, in order, from the lowest to the highest that any series filled. */
function sharedBuckets(figure: HistogramFigure): FigureBucket[] {
  const all = new Map<string, FigureBucket>();
  for (const series of figure.series) for (const bucket of series.buckets) all.set(bucketKey(bucket), bucket);
  const ordered = [...all.values()].sort((a, b) => (a.low ?? -Infinity) - (b.low ?? -Infinity));
  const filled = (bucket: FigureBucket) => figure.series.some((series) => series.buckets.some((each) => bucketKey(each) === bucketKey(bucket) && each.count > 0));
  const first = ordered.findIndex(filled);
  const last = ordered.length - 1 - [...ordered].reverse().findIndex(filled);
  return first < 0 ? [] : ordered.slice(first, last + 1);
}

/** Histograms side by side: a row per bucket, a bar per series, as bpftrace prints a hist(). */
export function histogramChart(ids: PageIds, figure: HistogramFigure): Html {
  const buckets = sharedBuckets(figure);
  const counts = buckets.map((bucket) => figure.series.map((series) => series.buckets.find((each) => bucketKey(each) === bucketKey(bucket))?.count ?? 0));
  const most = Math.max(1, ...counts.flat());
  const [labelWidth, countWidth, barHeight, gap] = [96, 40, 14, 8];
  const rowHeight = figure.series.length * barHeight + gap;
  const height = Math.max(rowHeight, buckets.length * rowHeight) + 4;
  const plotWidth = chartWidth - labelWidth - countWidth;
  const rows = buckets.map((bucket, row) => {
    const y = row * rowHeight + 2;
    const label = histBucketLabel(bucket);
    const bars = figure.series.map((series, index) => {
      const count = counts[row]![index]!;
      const width = (count / most) * plotWidth;
      const barY = y + index * barHeight;
      return html`<rect x="${labelWidth}" y="${barY}" width="${round1(width)}" height="${barHeight - 2}" fill="${seriesColors[index % seriesColors.length]}"><title>${series.label}, ${label}: ${count}</title></rect><text x="${round1(labelWidth + width + 4)}" y="${barY + barHeight - 4}" font-size="11">${count}</text>`;
    });
    return html`<text x="${labelWidth - 6}" y="${y + (figure.series.length * barHeight) / 2 + 4}" text-anchor="end" font-size="12">${label}</text>${bars}`;
  });
  const description = `${figure.series.map((series) => `${series.label}: ${series.buckets.reduce((sum, bucket) => sum + bucket.count, 0)} in total`).join("; ")}. Buckets in ${figure.unit}: ${buckets.map((bucket, row) => `${histBucketLabel(bucket)} ${counts[row]!.join(" / ")}`).join(", ")}.`;
  const legend = html`<ul class="legend">${figure.series.map((series, index) => html`<li><span class="swatch" style="background:${seriesColors[index % seriesColors.length]}"></span>${series.label}</li>`)}</ul>`;
  const table = dataTable(figure.title, [`bucket (${figure.unit})`, ...figure.series.map((series) => series.label)], buckets.map((bucket, row) => [histBucketLabel(bucket), ...counts[row]!] as const));
  return html`<figure><figcaption>${figure.title}</figcaption>${legend}${svgFrame(ids, chartWidth, height, figure.title, description, html`${rows}`)}${table}</figure>`;
}
