import { drawChart, type ChartSeries } from './svg-chart';
import { wireTeamNav } from './team-nav';

/**
 * The analytics page's script: the server renders every figure as a table; this draws a chart from
 * each table a <figure data-chart> points at (cells carry their raw number in data-value).
 */

function cellOf(row: HTMLTableRowElement, key: string): HTMLElement | null {
  return row.querySelector<HTMLElement>(`[data-key="${key}"]`);
}

function chartFrom(figure: HTMLElement): void {
  const table = document.getElementById(figure.dataset.table ?? '');
  if (!(table instanceof HTMLTableElement)) return;
  const category = figure.dataset.category ?? '';
  const keys = (figure.dataset.series ?? '').split(' ').filter(Boolean);
  const rows = [...table.tBodies[0]!.rows];
  const headerLabel = (key: string) => table.tHead?.querySelector<HTMLElement>(`[data-key="${key}"]`)?.textContent ?? key;
  const series: ChartSeries[] = keys.map((key) => ({
    key,
    label: headerLabel(key),
    values: rows.map((row) => Number(cellOf(row, key)?.dataset.value ?? 0)),
  }));
  const categories = rows.map((row) => cellOf(row, category)?.textContent ?? '');
  const shortCategories = rows.map((row) => cellOf(row, category)?.dataset.short ?? cellOf(row, category)?.textContent ?? '');
  const chart = drawChart({
    kind: figure.dataset.chart === 'bars' ? 'bars' : 'columns',
    title: figure.dataset.label ?? '',
    description: figure.dataset.desc ?? '',
    locale: document.documentElement.lang === 'en' ? 'en-US' : 'es-MX',
    categories,
    shortCategories,
    series,
  });
  const caption = document.createElement('figcaption');
  if (series.length > 1) {
    series.forEach((item, index) => {
      const entry = document.createElement('span');
      entry.className = 'legend-entry';
      const swatch = document.createElement('span');
      swatch.className = `legend-swatch chart-series-${index}`;
      swatch.setAttribute('aria-hidden', 'true');
      entry.append(swatch, item.label);
      caption.append(entry);
    });
  }
  figure.replaceChildren(chart);
  if (caption.hasChildNodes()) figure.append(caption);
}

function start(): void {
  for (const figure of document.querySelectorAll<HTMLElement>('figure[data-chart]')) chartFrom(figure);
  // The figures are written by the server in the team's language: after a switch, ask for them again.
  wireTeamNav(() => location.reload());
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
