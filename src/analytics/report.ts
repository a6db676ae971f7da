import type { AnalyticsFigures, Percentiles } from '../store/analytics';
import type { AnalyticsFilters } from './period';

/** How a column's values read: the page formats them (es-MX), CSV and JSON keep the raw number. */
export type ColumnKind = 'text' | 'date' | 'count' | 'ratio' | 'seconds' | 'rating';

export interface Column {
  key: string;
  label: string;
  kind: ColumnKind;
}

export type Cell = string | number | null;

export interface AnalyticsTable {
  id: TableId;
  title: string;
  columns: Column[];
  rows: Array<Record<string, Cell>>;
}

export const TABLE_IDS = ['summary', 'days', 'reasons', 'times', 'csat', 'faqs', 'feedback'] as const;
export type TableId = (typeof TABLE_IDS)[number];

export interface AnalyticsReport {
  filters: AnalyticsFilters;
  summary: {
    conversations: number;
    contained: number;
    /** contained / conversations; null with no conversations. */
    containment: number | null;
    handoffs: number;
    firstReply: Percentiles;
    handling: Percentiles;
    csatAverage: number | null;
    csatCount: number;
    questions: number;
    fallbacks: number;
    /** fallbacks / questions; null with no questions. */
    unansweredRate: number | null;
    tickets: AnalyticsFigures['tickets'];
  };
  tables: Record<TableId, AnalyticsTable>;
}

/** What the knowledge base says about an entry id: its question, and whether it is a FAQ (not an intent such as a greeting). */
export type DescribeEntry = (id: string) => { title: string; faq: boolean };

/** How many FAQs the "most answered" table lists. */
export const TOP_FAQS = 10;

/** The console's words for the same reasons (web-widget/console/src/dom.ts), so both pages agree. */
const REASONS: Record<string, string> = {
  button: 'Pidió una persona (botón)',
  'human-request': 'Pidió una persona',
  complaint: 'Queja',
  'negative-sentiment': 'Cliente molesto',
  'low-confidence': 'El bot no entendió',
};

/** A FAQ marked `escalate` (a damaged item…) reads as its question. */
export function reasonLabel(reason: string, describe: DescribeEntry): string {
  if (reason.startsWith('faq:')) return describe(reason.slice(4)).title;
  return REASONS[reason] ?? reason;
}

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** The figures the store counted, named and labelled for the page, the JSON and each CSV. */
export function buildReport(figures: AnalyticsFigures, filters: AnalyticsFilters, describe: DescribeEntry): AnalyticsReport {
  const conversations = figures.days.reduce((sum, day) => sum + day.conversations, 0);
  const contained = figures.days.reduce((sum, day) => sum + day.contained, 0);
  const csatCount = figures.csat.reduce((sum, count) => sum + count, 0);
  const csatAverage = csatCount === 0 ? null : figures.csat.reduce((sum, count, index) => sum + count * (index + 1), 0) / csatCount;
  const summary: AnalyticsReport['summary'] = {
    conversations,
    contained,
    containment: ratio(contained, conversations),
    handoffs: figures.handoffs,
    firstReply: figures.firstReply,
    handling: figures.handling,
    csatAverage,
    csatCount,
    questions: figures.questions,
    fallbacks: figures.fallbacks,
    unansweredRate: ratio(figures.fallbacks, figures.questions),
    tickets: figures.tickets,
  };
  const faqs = figures.entries.map((entry) => ({ ...entry, ...describe(entry.entryId) })).filter((entry) => entry.faq);
  const summaryRows: Array<[string, string, ColumnKind, Cell]> = [
    ['conversations', 'Conversaciones', 'count', conversations],
    ['contained', 'Resueltas por el bot (sin pasar a una persona)', 'count', contained],
    ['containment', 'Contención', 'ratio', summary.containment],
    ['handoffs', 'Traspasos a una persona', 'count', figures.handoffs],
    ['questions', 'Preguntas escritas', 'count', figures.questions],
    ['fallbacks', 'Sin respuesta del bot', 'count', figures.fallbacks],
    ['clarifications', 'Respondidas con «¿quisiste decir…?»', 'count', figures.clarifications],
    ['unansweredRate', 'Tasa sin respuesta', 'ratio', summary.unansweredRate],
    ['csatAverage', 'Satisfacción promedio (1–5)', 'rating', csatAverage],
    ['csatCount', 'Calificaciones', 'count', csatCount],
    ['ticketsOpened', 'Tickets recibidos', 'count', figures.tickets.opened],
    ['ticketsAnswered', 'Tickets respondidos por correo', 'count', figures.tickets.answered],
    ['ticketsClosedUnanswered', 'Tickets cerrados sin respuesta', 'count', figures.tickets.closedUnanswered],
    ['ticketsOpen', 'Tickets pendientes', 'count', figures.tickets.open],
  ];
  const time = (metric: string, label: string, value: Percentiles) => ({ metric, label, count: value.count, p50: value.p50, p90: value.p90 });
  const tables: Record<TableId, AnalyticsTable> = {
    summary: {
      id: 'summary',
      title: 'Resumen',
      columns: [
        { key: 'metric', label: 'Clave', kind: 'text' },
        { key: 'label', label: 'Indicador', kind: 'text' },
        { key: 'value', label: 'Valor', kind: 'count' },
      ],
      rows: summaryRows.map(([metric, label, kind, value]) => ({ metric, label, kind, value })),
    },
    days: {
      id: 'days',
      title: 'Conversaciones por día',
      columns: [
        { key: 'day', label: 'Día', kind: 'date' },
        { key: 'conversations', label: 'Conversaciones', kind: 'count' },
        { key: 'contained', label: 'Resueltas por el bot', kind: 'count' },
        { key: 'escalated', label: 'Con una persona o ticket', kind: 'count' },
        { key: 'containment', label: 'Contención', kind: 'ratio' },
      ],
      rows: figures.days.map((day) => ({
        day: day.day,
        conversations: day.conversations,
        contained: day.contained,
        escalated: day.conversations - day.contained,
        containment: ratio(day.contained, day.conversations),
      })),
    },
    reasons: {
      id: 'reasons',
      title: 'Traspasos por motivo',
      columns: [
        { key: 'reason', label: 'Clave', kind: 'text' },
        { key: 'label', label: 'Motivo', kind: 'text' },
        { key: 'handoffs', label: 'A la fila de agentes', kind: 'count' },
        { key: 'tickets', label: 'Tickets (nadie disponible)', kind: 'count' },
      ],
      rows: figures.reasons.map((row) => ({ reason: row.reason, label: reasonLabel(row.reason, describe), handoffs: row.handoffs, tickets: row.tickets })),
    },
    times: {
      id: 'times',
      title: 'Tiempos de atención',
      columns: [
        { key: 'metric', label: 'Clave', kind: 'text' },
        { key: 'label', label: 'Tiempo', kind: 'text' },
        { key: 'count', label: 'Casos', kind: 'count' },
        { key: 'p50', label: 'Mediana (p50)', kind: 'seconds' },
        { key: 'p90', label: 'p90', kind: 'seconds' },
      ],
      rows: [
        time('firstReply', 'Espera hasta la primera respuesta de un agente', figures.firstReply),
        time('handling', 'Atención (de tomar el chat a resolverlo)', figures.handling),
        time('ticketAnswer', 'Respuesta a tickets por correo', figures.tickets.timeToAnswer),
      ],
    },
    csat: {
      id: 'csat',
      title: 'Satisfacción (CSAT)',
      columns: [
        { key: 'rating', label: 'Calificación', kind: 'count' },
        { key: 'count', label: 'Respuestas', kind: 'count' },
        { key: 'share', label: 'Porcentaje', kind: 'ratio' },
      ],
      rows: figures.csat.map((count, index) => ({ rating: index + 1, count, share: ratio(count, csatCount) })),
    },
    faqs: {
      id: 'faqs',
      title: 'Preguntas frecuentes más respondidas',
      columns: [
        { key: 'entryId', label: 'Id', kind: 'text' },
        { key: 'title', label: 'Pregunta', kind: 'text' },
        { key: 'answers', label: 'Respuestas', kind: 'count' },
        { key: 'helpful', label: 'Útil', kind: 'count' },
        { key: 'unhelpful', label: 'No útil', kind: 'count' },
      ],
      rows: faqs.slice(0, TOP_FAQS).map(({ entryId, title, answers, helpful, unhelpful }) => ({ entryId, title, answers, helpful, unhelpful })),
    },
    feedback: {
      id: 'feedback',
      title: 'Valoraciones por pregunta frecuente',
      columns: [
        { key: 'entryId', label: 'Id', kind: 'text' },
        { key: 'title', label: 'Pregunta', kind: 'text' },
        { key: 'helpful', label: 'Útil', kind: 'count' },
        { key: 'unhelpful', label: 'No útil', kind: 'count' },
        { key: 'helpfulShare', label: 'Útil (%)', kind: 'ratio' },
      ],
      // The FAQs shoppers disliked most come first: those are the answers to rewrite.
      rows: faqs
        .filter((entry) => entry.helpful + entry.unhelpful > 0)
        .sort((a, b) => b.unhelpful - a.unhelpful || b.helpful - a.helpful || a.entryId.localeCompare(b.entryId))
        .map(({ entryId, title, helpful, unhelpful }) => ({ entryId, title, helpful, unhelpful, helpfulShare: ratio(helpful, helpful + unhelpful) })),
    },
  };
  return { filters, summary, tables };
}
