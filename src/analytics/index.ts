/** The analytics page's figures: the query it accepts, the report built from the store's counts, CSV. */
export { parseAnalyticsQuery, analyticsQuerySchema, localDate, startOfDay, addDays, MAX_RANGE_DAYS, DEFAULT_RANGE_DAYS, type AnalyticsFilters, type ParsedAnalyticsQuery } from './period';
export { buildReport, TABLE_IDS, TOP_FAQS, type AnalyticsReport, type AnalyticsTable, type Column, type ColumnKind, type Cell, type DescribeEntry, type ReportContext, type TableId } from './report';
export { REPORT_TEXT, type ReportTextKey } from './texts';
export { tableCsv } from './csv';
export { collectFigures, DAYS_PER_SLICE } from './collect';
