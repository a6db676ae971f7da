import type { AnalyticsFilters, AnalyticsReport, AnalyticsTable, Cell, ColumnKind, TableId } from '../analytics';
import type { Agent } from '../store';
import type { ConsoleLang } from './console-text';
import { escapeHtml } from './demo-page';
import { renderTeamNav } from './team-nav';

/**
 * The analytics page: every figure is in an HTML table (readable with a screen reader, and without
 * JavaScript); analytics.js then draws SVG charts from those tables' data-value cells. In the team's
 * language (Spanish or English, the console's choice), numbers and dates as es-MX or en-US write them.
 */

const PAGE_TEXT = {
  es: {
    title: 'Atento · Analítica',
    heading: 'Analítica',
    skip: 'Saltar a las cifras',
    from: 'Desde',
    to: 'Hasta',
    language: 'Idioma de las conversaciones',
    apply: 'Aplicar',
    zoneHint: (zone: string) => `Días completos en la zona horaria de la tienda (${zone}); hasta 366 días.`,
    refused: (why: string) => `No se pudo mostrar ese periodo: ${why}.`,
    langs: { all: 'Todos', es: 'Español', en: 'Inglés' },
    summary: (from: string, to: string, lang: string) => `Resumen del ${from} al ${to} · ${lang}`,
    cards: {
      conversations: ['Conversaciones', (n: string) => `${n} sin pasar a una persona`],
      containment: ['Contención', () => 'resueltas solo por el bot'],
      handoffs: ['Traspasos a una persona', (n: string) => `${n} tickets`],
      firstReply: ['Espera a la primera respuesta', (n: string) => `mediana de ${n} chats`],
      handling: ['Tiempo de atención', (n: string) => `mediana de ${n} resueltos`],
      csat: ['Satisfacción', (n: string) => `${n} calificaciones`],
      unanswered: ['Sin respuesta del bot', (n: string, of: string) => `${n} de ${of} preguntas`],
      tickets: ['Tickets respondidos', (median: string) => `mediana ${median}`],
    },
    of: (n: string, of: string) => `${n} de ${of}`,
    csv: 'Descargar CSV',
    csvOf: (title: string) => ` de ${title.toLowerCase()}`,
    empty: 'Sin datos en este periodo.',
    chartDesc: 'Los mismos datos están en la tabla siguiente.',
    charts: {
      days: 'Conversaciones por día: resueltas por el bot y con una persona o ticket',
      reasons: 'Traspasos por motivo',
      csat: 'Distribución de calificaciones de 1 a 5',
      faqs: 'Preguntas frecuentes más respondidas',
    },
    forbidden: 'Esta página es solo para administradores',
    forbiddenWhy: (role: string) => `Tu cuenta tiene el rol «${role}». Pide a un administrador que te dé el rol admin`,
    back: 'Volver a la consola',
  },
  en: {
    title: 'Atento · Analytics',
    heading: 'Analytics',
    skip: 'Skip to the figures',
    from: 'From',
    to: 'To',
    language: 'Language of the conversations',
    apply: 'Apply',
    zoneHint: (zone: string) => `Whole days in the shop's time zone (${zone}); up to 366 days.`,
    refused: (why: string) => `That period could not be shown: ${why}.`,
    langs: { all: 'All', es: 'Spanish', en: 'English' },
    summary: (from: string, to: string, lang: string) => `Summary from ${from} to ${to} · ${lang}`,
    cards: {
      conversations: ['Conversations', (n: string) => `${n} never reached a person`],
      containment: ['Containment', () => 'solved by the bot alone'],
      handoffs: ['Handoffs to a person', (n: string) => `${n} tickets`],
      firstReply: ['Wait for the first reply', (n: string) => `median of ${n} chats`],
      handling: ['Handling time', (n: string) => `median of ${n} resolved`],
      csat: ['Satisfaction', (n: string) => `${n} ratings`],
      unanswered: ['Not answered by the bot', (n: string, of: string) => `${n} of ${of} questions`],
      tickets: ['Tickets answered', (median: string) => `median ${median}`],
    },
    of: (n: string, of: string) => `${n} of ${of}`,
    csv: 'Download CSV',
    csvOf: (title: string) => ` of ${title.toLowerCase()}`,
    empty: 'No data in this period.',
    chartDesc: 'The table below holds the same numbers.',
    charts: {
      days: 'Conversations per day: solved by the bot, and with a person or ticket',
      reasons: 'Handoffs by reason',
      csat: 'Ratings from 1 to 5',
      faqs: 'Most answered FAQs',
    },
    forbidden: 'This page is for admins only',
    forbiddenWhy: (role: string) => `Your account has the role “${role}”. Ask an admin to give you the admin role`,
    back: 'Back to the console',
  },
} as const;

/** Which tables get a chart, and how it reads them (web-widget/console/src/analytics.ts). */
const CHARTS: Partial<Record<TableId, { kind: 'columns' | 'bars'; category: string; series: string[] }>> = {
  days: { kind: 'columns', category: 'day', series: ['contained', 'escalated'] },
  reasons: { kind: 'bars', category: 'label', series: ['handoffs', 'tickets'] },
  csat: { kind: 'columns', category: 'rating', series: ['count'] },
  faqs: { kind: 'bars', category: 'title', series: ['answers'] },
};
/** Columns kept in CSV and JSON for machines but not shown to people. */
const HIDDEN = new Set(['summary.metric', 'reasons.reason', 'times.metric', 'faqs.entryId', 'feedback.entryId']);

const LOCALES: Record<ConsoleLang, string> = { es: 'es-MX', en: 'en-US' };

/** How the page writes numbers, percentages, ratings, durations and days in one language. */
export function formatterFor(lang: ConsoleLang) {
  const locale = LOCALES[lang];
  const number = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const rating = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 2 });
  const day = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const shortDay = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const asDate = (text: string) => new Date(`${text}T00:00:00Z`);
  return {
    number: (value: number) => number.format(value),
    shortDay: (text: string) => shortDay.format(asDate(text)),
    cell(value: Cell, kind: ColumnKind | string): string {
      if (value === null || value === undefined) return '—';
      if (typeof value === 'string') return kind === 'date' ? day.format(asDate(value)) : value;
      if (kind === 'ratio') return percent.format(value);
      if (kind === 'seconds') return formatDuration(value);
      if (kind === 'rating') return rating.format(value);
      return number.format(value);
    },
  };
}

/** "45 s", "2 min 5 s", "3 h 20 min", "2 d 4 h": two units at most, enough to compare (the same in both languages). */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 24 * 60) return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  const hours = Math.round(s / 3600);
  return hours % 24 === 0 ? `${hours / 24} d` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

function page(agent: Agent, lang: ConsoleLang, body: string): string {
  const t = PAGE_TEXT[lang];
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/agent/console.css">
<link rel="stylesheet" href="/agent/analytics.css">
<script src="/agent/analytics.js" defer></script>
</head>
<body class="analytics-page">
<a class="skip-link" href="#figures">${escapeHtml(t.skip)}</a>
${renderTeamNav(agent, 'analytics', lang)}
<main class="analytics-main">
<h1>${escapeHtml(t.heading)}</h1>
${body}
</main>
</body>
</html>`;
}

/** A logged-in agent or editor who opened the admin's page: a page that says why, not a bare JSON error. */
export function renderForbiddenPage(agent: Agent, lang: ConsoleLang): string {
  const t = PAGE_TEXT[lang];
  return page(
    agent,
    lang,
    `<h2>${escapeHtml(t.forbidden)}</h2>
<p>${escapeHtml(t.forbiddenWhy(agent.role))} (<code>atento agent role --email ${escapeHtml(agent.email)} --role admin</code>).</p>
<p><a href="/agent">${escapeHtml(t.back)}</a></p>`,
  );
}

export function renderAnalyticsPage(view: { agent: Agent; lang: ConsoleLang; filters: AnalyticsFilters; report: AnalyticsReport | null; error: string | null }): string {
  const { filters, report, lang } = view;
  const t = PAGE_TEXT[lang];
  const query = new URLSearchParams({ from: filters.from, to: filters.to, lang: filters.lang }).toString();
  return page(
    view.agent,
    lang,
    `${filterForm(filters, lang)}
${view.error ? `<p class="analytics-error" role="alert">${escapeHtml(t.refused(view.error))}</p>` : ''}
<div id="figures" tabindex="-1">
${report ? `${summaryCards(report, lang)}\n${Object.values(report.tables).map((table) => tableSection(table, query, lang)).join('\n')}` : ''}
</div>`,
  );
}

function filterForm(filters: AnalyticsFilters, lang: ConsoleLang): string {
  const t = PAGE_TEXT[lang];
  const options = (['all', 'es', 'en'] as const).map((value) => `<option value="${value}"${filters.lang === value ? ' selected' : ''}>${escapeHtml(t.langs[value])}</option>`).join('');
  return `<form class="analytics-filters" method="get" action="/agent/analytics" aria-describedby="zone-hint">
  <div><label for="from">${escapeHtml(t.from)}</label><input id="from" name="from" type="date" required value="${escapeHtml(filters.from)}"></div>
  <div><label for="to">${escapeHtml(t.to)}</label><input id="to" name="to" type="date" required value="${escapeHtml(filters.to)}"></div>
  <div><label for="lang">${escapeHtml(t.language)}</label><select id="lang" name="lang">${options}</select></div>
  <button type="submit" class="primary">${escapeHtml(t.apply)}</button>
  <p id="zone-hint" class="hint">${escapeHtml(t.zoneHint(filters.timeZone))}</p>
</form>`;
}

function summaryCards(report: AnalyticsReport, lang: ConsoleLang): string {
  const s = report.summary;
  const t = PAGE_TEXT[lang];
  const f = formatterFor(lang);
  const n = f.number;
  const pair = (p: { p50: number | null; p90: number | null }) => `${escapeHtml(f.cell(p.p50, 'seconds'))} <span class="card-sub">p90 ${escapeHtml(f.cell(p.p90, 'seconds'))}</span>`;
  const c = t.cards;
  const cards: Array<[string, string, string]> = [
    [c.conversations[0], escapeHtml(n(s.conversations)), c.conversations[1](n(s.contained))],
    [c.containment[0], escapeHtml(f.cell(s.containment, 'ratio')), c.containment[1]()],
    [c.handoffs[0], escapeHtml(n(s.handoffs)), c.handoffs[1](n(s.tickets.opened))],
    [c.firstReply[0], pair(s.firstReply), c.firstReply[1](n(s.firstReply.count))],
    [c.handling[0], pair(s.handling), c.handling[1](n(s.handling.count))],
    [c.csat[0], s.csatAverage === null ? '—' : `${escapeHtml(f.cell(s.csatAverage, 'rating'))} / 5`, c.csat[1](n(s.csatCount))],
    [c.unanswered[0], escapeHtml(f.cell(s.unansweredRate, 'ratio')), c.unanswered[1](n(s.fallbacks), n(s.questions))],
    [c.tickets[0], escapeHtml(t.of(n(s.tickets.answered), n(s.tickets.opened))), c.tickets[1](f.cell(s.tickets.timeToAnswer.p50, 'seconds'))],
  ];
  const heading = t.summary(f.cell(report.filters.from, 'date'), f.cell(report.filters.to, 'date'), t.langs[report.filters.lang]);
  return `<section class="summary" aria-labelledby="summary-heading">
<h2 id="summary-heading">${escapeHtml(heading)}</h2>
<ul class="cards">
${cards.map(([label, value, note]) => `<li class="card"><span class="card-label">${escapeHtml(label)}</span><span class="card-value">${value}</span><span class="card-note">${escapeHtml(note)}</span></li>`).join('\n')}
</ul>
</section>`;
}

function tableSection(table: AnalyticsTable, query: string, lang: ConsoleLang): string {
  const t = PAGE_TEXT[lang];
  const f = formatterFor(lang);
  const id = `table-${table.id}`;
  const columns = table.columns.filter((column) => !HIDDEN.has(`${table.id}.${column.key}`));
  const chart = CHARTS[table.id];
  const csv = `/agent/api/analytics/${table.id}?${query}&format=csv`;
  const rows = table.rows.map((row) => {
    const cells = columns.map((column, index) => {
      const value = row[column.key] ?? null;
      // The summary's values each have their own kind (a count, a ratio…), given in the row.
      const kind = table.id === 'summary' && column.key === 'value' ? String(row.kind) : column.kind;
      const tag = index === 0 ? 'th' : 'td';
      const attributes = [
        index === 0 ? ' scope="row"' : '',
        ` data-key="${column.key}"`,
        typeof value === 'number' ? ` data-value="${value}"` : '',
        kind === 'date' && typeof value === 'string' ? ` data-short="${escapeHtml(f.shortDay(value))}"` : '',
      ].join('');
      return `<${tag}${attributes}>${escapeHtml(f.cell(value, kind))}</${tag}>`;
    });
    return `<tr>${cells.join('')}</tr>`;
  });
  const empty = `<tr><td colspan="${columns.length}" class="empty">${escapeHtml(t.empty)}</td></tr>`;
  const hasData = table.id === 'csat' ? table.rows.some((row) => row.count !== 0) : table.rows.length > 0;
  const chartFigure =
    chart && hasData
      ? `<figure class="chart" data-chart="${chart.kind}" data-table="${id}" data-category="${chart.category}" data-series="${chart.series.join(' ')}" data-label="${escapeHtml(t.charts[table.id as keyof typeof t.charts])}" data-desc="${escapeHtml(t.chartDesc)}"></figure>`
      : '';
  return `<section class="analytics-section" aria-labelledby="${id}-title">
<div class="section-head"><h2 id="${id}-title">${escapeHtml(table.title)}</h2><a class="csv-link" href="${escapeHtml(csv)}" download>${escapeHtml(t.csv)}<span class="visually-hidden">${escapeHtml(t.csvOf(table.title))}</span></a></div>
${chartFigure}
<div class="table-wrap" role="region" aria-labelledby="${id}-title" tabindex="0">
<table id="${id}">
<thead><tr>${columns.map((column) => `<th scope="col" data-key="${column.key}">${escapeHtml(column.label)}</th>`).join('')}</tr></thead>
<tbody>${hasData || table.id === 'csat' ? rows.join('\n') : empty}</tbody>
</table>
</div>
</section>`;
}
