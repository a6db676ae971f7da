/**
 * A small chart module of our own: stacked column and bar charts as plain SVG (no library, no CDN).
 * Text goes in through textContent only. Each bar has a <title> (a tooltip, and read by screen readers);
 * the chart as a whole is one labelled image, because the table beside it holds the same numbers.
 */

const SVG = 'http://www.w3.org/2000/svg';

export interface ChartSeries {
  key: string;
  label: string;
  values: number[];
}

export interface ChartSpec {
  kind: 'columns' | 'bars';
  /** Said by screen readers (the chart's name). */
  title: string;
  /** Said after the title, e.g. where the numbers are as text. */
  description: string;
  /** BCP 47 locale for the axis and tooltip numbers, e.g. "es-MX". */
  locale: string;
  categories: string[];
  /** Shorter names for the column chart's axis (e.g. "1 dic"); the full names go in tooltips. */
  shortCategories?: string[];
  series: ChartSeries[];
}

let nextId = 0;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** 1, 2 or 5 times a power of ten, at or above `value` (and at least 1: we count whole things). */
export function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function totals(spec: ChartSpec): number[] {
  return spec.categories.map((_, index) => spec.series.reduce((sum, series) => sum + (series.values[index] ?? 0), 0));
}

function frame(spec: ChartSpec, width: number, height: number): SVGSVGElement {
  const id = `chart-${++nextId}`;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${id}-title ${id}-desc`, class: `chart-svg chart-${spec.kind}` });
  root.append(svg('title', { id: `${id}-title` }, spec.title), svg('desc', { id: `${id}-desc` }, spec.description));
  return root;
}

function barTitle(spec: ChartSpec, index: number, series: ChartSeries): string {
  const name = spec.series.length > 1 ? `${series.label}: ` : '';
  return `${spec.categories[index]} — ${name}${new Intl.NumberFormat(spec.locale).format(series.values[index] ?? 0)}`;
}

/** Vertical stacked columns with a value axis: one column per category (days, ratings). */
function columns(spec: ChartSpec): SVGSVGElement {
  const width = 720;
  const height = 240;
  const margin = { top: 12, right: 8, bottom: 28, left: 44 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  // About five whole-number ticks: 0, 2, 4… for a busiest day of 9.
  const step = niceCeiling(Math.max(...totals(spec)) / 5);
  const ticks = Math.max(1, Math.ceil(Math.max(...totals(spec)) / step));
  const max = step * ticks;
  const root = frame(spec, width, height);
  const y = (value: number) => margin.top + plotHeight - (value / max) * plotHeight;
  const axis = svg('g', { class: 'chart-axis', 'aria-hidden': 'true' });
  for (let tick = 0; tick <= ticks; tick++) {
    const value = step * tick;
    axis.append(
      svg('line', { x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value), class: 'chart-grid' }),
      svg('text', { x: margin.left - 6, y: y(value) + 4, 'text-anchor': 'end' }, new Intl.NumberFormat(spec.locale).format(value)),
    );
  }
  const slot = plotWidth / spec.categories.length;
  const barWidth = Math.max(1, Math.min(48, slot * 0.7));
  // At most one axis label every 56 px, so dates never overlap.
  const labelEvery = Math.ceil(56 / slot);
  const bars = svg('g', { class: 'chart-bars' });
  spec.categories.forEach((_, index) => {
    const x = margin.left + slot * index + (slot - barWidth) / 2;
    let base = 0;
    spec.series.forEach((series, seriesIndex) => {
      const value = series.values[index] ?? 0;
      if (value <= 0) return;
      const rect = svg('rect', { x, y: y(base + value), width: barWidth, height: y(base) - y(base + value), class: `chart-series-${seriesIndex}` });
      rect.append(svg('title', {}, barTitle(spec, index, series)));
      bars.append(rect);
      base += value;
    });
    if (index % labelEvery === 0) {
      axis.append(svg('text', { x: x + barWidth / 2, y: height - 8, 'text-anchor': 'middle' }, spec.shortCategories?.[index] ?? spec.categories[index]!));
    }
  });
  root.append(axis, bars);
  return root;
}

/** Horizontal stacked bars with the category's name on the left and the total at the end (reasons, FAQs). */
function bars(spec: ChartSpec): SVGSVGElement {
  const width = 720;
  const row = 26;
  const labelWidth = 300;
  const height = spec.categories.length * row + 8;
  const max = Math.max(1, ...totals(spec));
  const plotWidth = width - labelWidth - 56;
  const root = frame(spec, width, height);
  const group = svg('g', { class: 'chart-bars' });
  const sums = totals(spec);
  spec.categories.forEach((category, index) => {
    const top = 4 + index * row;
    const shown = category.length > 42 ? `${category.slice(0, 41)}…` : category;
    group.append(svg('text', { x: labelWidth - 8, y: top + row / 2 + 4, 'text-anchor': 'end', class: 'chart-label', 'aria-hidden': 'true' }, shown));
    let left = labelWidth;
    spec.series.forEach((series, seriesIndex) => {
      const value = series.values[index] ?? 0;
      if (value <= 0) return;
      const length = (value / max) * plotWidth;
      const rect = svg('rect', { x: left, y: top + 4, width: length, height: row - 8, class: `chart-series-${seriesIndex}` });
      rect.append(svg('title', {}, barTitle(spec, index, series)));
      group.append(rect);
      left += length;
    });
    group.append(svg('text', { x: left + 6, y: top + row / 2 + 4, class: 'chart-value', 'aria-hidden': 'true' }, new Intl.NumberFormat(spec.locale).format(sums[index]!)));
  });
  root.append(group);
  return root;
}

export function drawChart(spec: ChartSpec): SVGSVGElement {
  return spec.kind === 'columns' ? columns(spec) : bars(spec);
}
