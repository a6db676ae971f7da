import { formatDuration, formatterFor } from '../../src/channels/analytics-page';
import { niceCeiling } from '../../web-widget/console/src/svg-chart';

/** What the operator reads on the analytics page: durations, percentages, dates in es-MX; round chart axes. */

test('durations read in at most two units', () => {
  expect([0, 45, 60, 125, 3600, 5400, 12_000, 86_400, 190_800].map(formatDuration)).toEqual([
    '0 s',
    '45 s',
    '1 min',
    '2 min 5 s',
    '1 h',
    '1 h 30 min',
    '3 h 20 min',
    '1 d',
    '2 d 5 h',
  ]);
});

test('cells: es-MX or en-US numbers, percentages and dates; a dash for no data', () => {
  const formatCell = formatterFor('es').cell;
  expect(formatCell(12345, 'count')).toBe('12,345');
  expect(formatCell(0.7586, 'ratio')).toBe('75.9%');
  expect(formatCell(3.25, 'rating')).toBe('3.25');
  expect(formatCell(4, 'rating')).toBe('4.0');
  expect(formatCell('2026-03-01', 'date')).toBe('dom, 1 de mar de 2026');
  expect(formatCell(null, 'seconds')).toBe('—');
  const english = formatterFor('en');
  expect(english.cell('2026-03-01', 'date')).toBe('Sun, Mar 1, 2026');
  expect(english.cell(0.5, 'ratio')).toBe('50%');
  expect([formatterFor('es').shortDay('2026-12-01'), english.shortDay('2026-12-01')]).toEqual(['1 dic', 'Dec 1']);
});

test('chart axes end on 1, 2 or 5 times a power of ten, never below 1', () => {
  expect([0, 0.4, 1, 1.8, 2.5, 7, 10, 11, 480].map(niceCeiling)).toEqual([1, 1, 1, 2, 5, 10, 10, 20, 500]);
});
