import type { Lang } from '../knowledge/types';
import type { AnalyticsFigures, Percentiles } from '../store';
import type { AnalyticsFilters } from './period';
import { REPORT_TEXT, type ReportTextKey } from './texts';

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

/** The language and the names the caller knows: FAQ titles, and handoff reasons in the console's words. */
export interface ReportContext {
  lang: Lang;
  describe: DescribeEntry;
  reasonLabel: (reason: string) => string;
}

/** How many FAQs the "most answered" table lists. */
export const TOP_FAQS = 10;

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** The figures the store counted, named and labelled for the page, the JSON and each CSV. */
export function buildReport(figures: AnalyticsFigures, filters: AnalyticsFilters, context: ReportContext): AnalyticsReport {
  const { describe } = context;
  const t = (key: ReportTextKey) => REPORT_TEXT[context.lang][key];
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
    ['conversations', t('summary.conversations'), 'count', conversations],
    ['contained', t('summary.contained'), 'count', contained],
    ['containment', t('summary.containment'), 'ratio', summary.containment],
    ['handoffs', t('summary.handoffs'), 'count', figures.handoffs],
    ['questions', t('summary.questions'), 'count', figures.questions],
    ['fallbacks', t('summary.fallbacks'), 'count', figures.fallbacks],
    ['clarifications', t('summary.clarifications'), 'count', figures.clarifications],
    ['unansweredRate', t('summary.unansweredRate'), 'ratio', summary.unansweredRate],
    ['csatAverage', t('summary.csatAverage'), 'rating', csatAverage],
    ['csatCount', t('summary.csatCount'), 'count', csatCount],
    ['ticketsOpened', t('summary.ticketsOpened'), 'count', figures.tickets.opened],
    ['ticketsAnswered', t('summary.ticketsAnswered'), 'count', figures.tickets.answered],
    ['ticketsClosedUnanswered', t('summary.ticketsClosedUnanswered'), 'count', figures.tickets.closedUnanswered],
    ['ticketsOpen', t('summary.ticketsOpen'), 'count', figures.tickets.open],
  ];
  const time = (metric: string, label: string, value: Percentiles) => ({ metric, label, count: value.count, p50: value.p50, p90: value.p90 });
  const tables: Record<TableId, AnalyticsTable> = {
    summary: {
      id: 'summary',
      title: t('title.summary'),
      columns: [
        { key: 'metric', label: t('column.key'), kind: 'text' },
        { key: 'label', label: t('column.indicator'), kind: 'text' },
        { key: 'value', label: t('column.value'), kind: 'count' },
      ],
      rows: summaryRows.map(([metric, label, kind, value]) => ({ metric, label, kind, value })),
    },
    days: {
      id: 'days',
      title: t('title.days'),
      columns: [
        { key: 'day', label: t('column.day'), kind: 'date' },
        { key: 'conversations', label: t('column.conversations'), kind: 'count' },
        { key: 'contained', label: t('column.contained'), kind: 'count' },
        { key: 'escalated', label: t('column.escalated'), kind: 'count' },
        { key: 'containment', label: t('column.containment'), kind: 'ratio' },
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
      title: t('title.reasons'),
      columns: [
        { key: 'reason', label: t('column.key'), kind: 'text' },
        { key: 'label', label: t('column.reason'), kind: 'text' },
        { key: 'handoffs', label: t('column.handoffs'), kind: 'count' },
        { key: 'tickets', label: t('column.tickets'), kind: 'count' },
      ],
      rows: figures.reasons.map((row) => ({ reason: row.reason, label: context.reasonLabel(row.reason), handoffs: row.handoffs, tickets: row.tickets })),
    },
    times: {
      id: 'times',
      title: t('title.times'),
      columns: [
        { key: 'metric', label: t('column.key'), kind: 'text' },
        { key: 'label', label: t('column.time'), kind: 'text' },
        { key: 'count', label: t('column.cases'), kind: 'count' },
        { key: 'p50', label: t('column.p50'), kind: 'seconds' },
        { key: 'p90', label: t('column.p90'), kind: 'seconds' },
      ],
      rows: [
        time('firstReply', t('time.firstReply'), figures.firstReply),
        time('handling', t('time.handling'), figures.handling),
        time('ticketAnswer', t('time.ticketAnswer'), figures.tickets.timeToAnswer),
      ],
    },
    csat: {
      id: 'csat',
      title: t('title.csat'),
      columns: [
        { key: 'rating', label: t('column.rating'), kind: 'count' },
        { key: 'count', label: t('column.responses'), kind: 'count' },
        { key: 'share', label: t('column.share'), kind: 'ratio' },
      ],
      rows: figures.csat.map((count, index) => ({ rating: index + 1, count, share: ratio(count, csatCount) })),
    },
    faqs: {
      id: 'faqs',
      title: t('title.faqs'),
      columns: [
        { key: 'entryId', label: t('column.id'), kind: 'text' },
        { key: 'title', label: t('column.question'), kind: 'text' },
        { key: 'answers', label: t('column.answers'), kind: 'count' },
        { key: 'helpful', label: t('column.helpful'), kind: 'count' },
        { key: 'unhelpful', label: t('column.unhelpful'), kind: 'count' },
      ],
      rows: faqs.slice(0, TOP_FAQS).map(({ entryId, title, answers, helpful, unhelpful }) => ({ entryId, title, answers, helpful, unhelpful })),
    },
    feedback: {
      id: 'feedback',
      title: t('title.feedback'),
      columns: [
        { key: 'entryId', label: t('column.id'), kind: 'text' },
        { key: 'title', label: t('column.question'), kind: 'text' },
        { key: 'helpful', label: t('column.helpful'), kind: 'count' },
        { key: 'unhelpful', label: t('column.unhelpful'), kind: 'count' },
        { key: 'helpfulShare', label: t('column.helpfulShare'), kind: 'ratio' },
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
