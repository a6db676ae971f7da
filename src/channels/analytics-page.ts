import type { AnalyticsFilters, AnalyticsReport, AnalyticsTable, Cell, ColumnKind, TableId } from '../analytics';
import type { Agent } from '../store/agents';
import { escapeHtml } from './demo-page';

/**
 * The analytics page: every figure is in an HTML table (readable with a screen reader, and without
 * JavaScript); analytics.js then draws SVG charts from those tables' data-value cells. Spanish, es-MX.
 */

const NUMBER = new Intl.NumberFormat('es-MX');
const PERCENT = new Intl.NumberFormat('es-MX', { style: 'percent', maximumFractionDigits: 1 });
const RATING = new Intl.NumberFormat('es-MX', { minimumFractionDigits: 1, maximumFractionDigits: 2 });
const DAY = new Intl.DateTimeFormat('es-MX', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const SHORT_DAY = new Intl.DateTimeFormat('es-MX', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** Which tables get a chart, and how it reads them (web-widget/console/src/analytics.ts). */
const CHARTS: Partial<Record<TableId, { kind: 'columns' | 'bars'; label: string; series: string[] }>> = {
  days: { kind: 'columns', label: 'Conversaciones por día: resueltas por el bot y con una persona o ticket', series: ['contained', 'escalated'] },
  reasons: { kind: 'bars', label: 'Traspasos por motivo', series: ['handoffs', 'tickets'] },
  csat: { kind: 'columns', label: 'Distribución de calificaciones de 1 a 5', series: ['count'] },
  faqs: { kind: 'bars', label: 'Preguntas frecuentes más respondidas', series: ['answers'] },
};
/** The column whose text names each bar. */
const CATEGORY: Partial<Record<TableId, string>> = { days: 'day', reasons: 'label', csat: 'rating', faqs: 'title' };
/** Columns kept in CSV and JSON for machines but not shown to people. */
const HIDDEN = new Set(['summary.metric', 'reasons.reason', 'times.metric', 'faqs.entryId', 'feedback.entryId']);

const LANGS = [
  ['all', 'Todos'],
  ['es', 'Español'],
  ['en', 'Inglés'],
] as const;

export function formatCell(value: Cell, kind: ColumnKind | string): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return kind === 'date' ? DAY.format(new Date(`${value}T00:00:00Z`)) : value;
  switch (kind) {
    case 'ratio':
      return PERCENT.format(value);
    case 'seconds':
      return formatDuration(value);
    case 'rating':
      return RATING.format(value);
    default:
      return NUMBER.format(value);
  }
}

/** "45 s", "2 min 5 s", "3 h 20 min", "2 d 4 h": two units at most, enough to compare. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 24 * 60) return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  const hours = Math.round(s / 3600);
  return hours % 24 === 0 ? `${hours / 24} d` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

function head(title: string): string {
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/agent/console.css">
<link rel="stylesheet" href="/agent/analytics.css">
<script src="/agent/analytics.js" defer></script>
</head>`;
}

function topBar(agent: Agent): string {
  return `<header class="top analytics-top">
  <h1>Analítica</h1>
  <a class="back-link" href="/agent">← Volver a la consola</a>
  <span class="me">${escapeHtml(agent.name)}</span>
</header>`;
}

/** A logged-in agent or editor who opened the admin's page: a page that says why, not a bare JSON error. */
export function renderForbiddenPage(agent: Agent): string {
  return `${head('Atento · Analítica')}
<body class="analytics-page">
${topBar(agent)}
<main class="analytics-main">
  <h2>Esta página es solo para administradores</h2>
  <p>Tu cuenta tiene el rol «${escapeHtml(agent.role)}». Pide a un administrador que te dé el rol admin
  (<code>atento agent role --email ${escapeHtml(agent.email)} --role admin</code>).</p>
  <p><a href="/agent">Volver a la consola</a></p>
</main>
</body>
</html>`;
}

export function renderAnalyticsPage(view: { agent: Agent; filters: AnalyticsFilters; report: AnalyticsReport | null; error: string | null }): string {
  const { filters, report } = view;
  const query = new URLSearchParams({ from: filters.from, to: filters.to, lang: filters.lang }).toString();
  return `${head('Atento · Analítica')}
<body class="analytics-page">
<a class="skip-link" href="#figures">Saltar a las cifras</a>
${topBar(view.agent)}
<main class="analytics-main">
${filterForm(filters)}
${view.error ? `<p class="analytics-error" role="alert">No se pudo mostrar ese periodo: ${escapeHtml(view.error)}.</p>` : ''}
<div id="figures" tabindex="-1">
${report ? `${summaryCards(report)}\n${Object.values(report.tables).map((table) => tableSection(table, query)).join('\n')}` : ''}
</div>
</main>
</body>
</html>`;
}

function filterForm(filters: AnalyticsFilters): string {
  const options = LANGS.map(([value, label]) => `<option value="${value}"${filters.lang === value ? ' selected' : ''}>${label}</option>`).join('');
  return `<form class="analytics-filters" method="get" action="/agent/analytics" aria-describedby="zone-hint">
  <div><label for="from">Desde</label><input id="from" name="from" type="date" required value="${escapeHtml(filters.from)}"></div>
  <div><label for="to">Hasta</label><input id="to" name="to" type="date" required value="${escapeHtml(filters.to)}"></div>
  <div><label for="lang">Idioma</label><select id="lang" name="lang">${options}</select></div>
  <button type="submit" class="primary">Aplicar</button>
  <p id="zone-hint" class="hint">Días completos en la zona horaria de la tienda (${escapeHtml(filters.timeZone)}); hasta 366 días.</p>
</form>`;
}

function summaryCards(report: AnalyticsReport): string {
  const s = report.summary;
  const pair = (p: { p50: number | null; p90: number | null }) => `${formatCell(p.p50, 'seconds')} <span class="card-sub">p90 ${formatCell(p.p90, 'seconds')}</span>`;
  const cards: Array<[string, string, string]> = [
    ['Conversaciones', NUMBER.format(s.conversations), `${NUMBER.format(s.contained)} sin pasar a una persona`],
    ['Contención', formatCell(s.containment, 'ratio'), 'resueltas solo por el bot'],
    ['Traspasos a una persona', NUMBER.format(s.handoffs), `${NUMBER.format(s.tickets.opened)} tickets`],
    ['Espera a la primera respuesta', pair(s.firstReply), `mediana de ${NUMBER.format(s.firstReply.count)} chats`],
    ['Tiempo de atención', pair(s.handling), `mediana de ${NUMBER.format(s.handling.count)} resueltos`],
    ['Satisfacción', s.csatAverage === null ? '—' : `${formatCell(s.csatAverage, 'rating')} / 5`, `${NUMBER.format(s.csatCount)} calificaciones`],
    ['Sin respuesta del bot', formatCell(s.unansweredRate, 'ratio'), `${NUMBER.format(s.fallbacks)} de ${NUMBER.format(s.questions)} preguntas`],
    ['Tickets respondidos', `${NUMBER.format(s.tickets.answered)} de ${NUMBER.format(s.tickets.opened)}`, `mediana ${formatCell(s.tickets.timeToAnswer.p50, 'seconds')}`],
  ];
  return `<section class="summary" aria-labelledby="summary-heading">
<h2 id="summary-heading">Resumen del ${escapeHtml(formatCell(report.filters.from, 'date'))} al ${escapeHtml(formatCell(report.filters.to, 'date'))} · ${escapeHtml(LANGS.find(([v]) => v === report.filters.lang)![1])}</h2>
<ul class="cards">
${cards.map(([label, value, note]) => `<li class="card"><span class="card-label">${escapeHtml(label)}</span><span class="card-value">${value}</span><span class="card-note">${escapeHtml(note)}</span></li>`).join('\n')}
</ul>
</section>`;
}

function tableSection(table: AnalyticsTable, query: string): string {
  const id = `table-${table.id}`;
  const columns = table.columns.filter((column) => !HIDDEN.has(`${table.id}.${column.key}`));
  const chart = CHARTS[table.id];
  const csv = `/agent/api/analytics/${table.id}?${query}&format=csv`;
  const rows = table.rows.map((row) => {
    const cells = columns.map((column, index) => {
      const value = row[column.key] ?? null;
      // The summary's values each have their own kind (a count, a ratio…), given in the row.
      const kind = table.id === 'summary' && column.key === 'value' ? String(row.kind) : column.kind;
      const tag = index === 0 ? 'th scope="row"' : 'td';
      const short = kind === 'date' && typeof value === 'string' ? ` data-short="${escapeHtml(SHORT_DAY.format(new Date(`${value}T00:00:00Z`)))}"` : '';
      return `<${tag} data-key="${column.key}"${typeof value === 'number' ? ` data-value="${value}"` : ''}${short}>${escapeHtml(formatCell(value, kind))}</${tag.slice(0, 2)}>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  const empty = `<tr><td colspan="${columns.length}" class="empty">Sin datos en este periodo.</td></tr>`;
  const hasData = table.id === 'csat' ? table.rows.some((row) => row.count !== 0) : table.rows.length > 0;
  const chartFigure =
    chart && hasData
      ? `<figure class="chart" data-chart="${chart.kind}" data-table="${id}" data-category="${CATEGORY[table.id]}" data-series="${chart.series.join(' ')}" data-label="${escapeHtml(chart.label)}"></figure>`
      : '';
  return `<section class="analytics-section" aria-labelledby="${id}-title">
<div class="section-head"><h2 id="${id}-title">${escapeHtml(table.title)}</h2><a class="csv-link" href="${escapeHtml(csv)}" download>Descargar CSV<span class="visually-hidden"> de ${escapeHtml(table.title.toLowerCase())}</span></a></div>
${chartFigure}
<div class="table-wrap" role="region" aria-labelledby="${id}-title" tabindex="0">
<table id="${id}">
<thead><tr>${columns.map((column) => `<th scope="col" data-key="${column.key}">${escapeHtml(column.label)}</th>`).join('')}</tr></thead>
<tbody>${hasData || table.id === 'csat' ? rows.join('\n') : empty}</tbody>
</table>
</div>
</section>`;
}
