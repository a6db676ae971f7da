import type { AnalyticsTable } from './report';

/**
 * RFC 4180, CRLF, a header of column keys. A text cell starting with = + - @ gets a leading ' so a
 * spreadsheet never runs it as a formula (FAQ titles and reasons come from files editors write).
 */
export function tableCsv(table: AnalyticsTable): string {
  const cell = (value: unknown): string => {
    let text = value === null || value === undefined ? '' : String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [table.columns.map((column) => column.key).join(','), ...table.rows.map((row) => table.columns.map((column) => cell(row[column.key])).join(','))];
  return lines.join('\r\n') + '\r\n';
}
