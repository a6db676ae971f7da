import { editRefused, type EditedText } from './problems';
import type { Lang } from './types';

/**
 * Edits to one knowledge file's text (grammar in docs/knowledge-format.md). Pure: text in, text out.
 * Only the lines added differ; every other byte of the file, line endings included, stays as it was.
 */

export interface NewFaq {
  id: string;
  question: string;
  phrasings: string[];
  answer: string;
}

const SECTION_NAMES: Record<string, 'phrasings' | 'answer'> = { phrasings: 'phrasings', frases: 'phrasings', answer: 'answer', respuesta: 'answer' };

interface ScannedEntry {
  id: string | null;
  question: string;
  phrasings: string[];
  phrasingsHeading: number | null;
  lastPhrasing: number | null;
  answerHeading: number | null;
  spanishHeadings: boolean;
}

/** Adds phrasings to the entry `id`, after its last one; ones it already has are skipped and not returned. */
export function addPhrasings(text: string, id: string, phrasings: readonly string[]): { text: string; added: string[] } {
  phrasings.forEach((p) => checkLine(p, 'phrasing'));
  const lines = splitLines(text);
  const entry = scan(lines).find((e) => e.id === id);
  if (!entry) throw editRefused('edit_entry_gone', { id });
  const known = new Set([entry.question, ...entry.phrasings].map(comparisonKey));
  const added: string[] = [];
  for (const phrasing of phrasings.map((p) => p.trim())) {
    if (known.has(comparisonKey(phrasing))) continue;
    known.add(comparisonKey(phrasing));
    added.push(phrasing);
  }
  if (added.length === 0) return { text, added };
  const eol = lineEnding(text);
  const items = added.map((p) => `- ${p}${eol}`);
  if (entry.lastPhrasing !== null) return { text: insertAfter(lines, entry.lastPhrasing, items, eol), added };
  if (entry.phrasingsHeading !== null) return { text: insertAfter(lines, entry.phrasingsHeading, items, eol), added };
  if (entry.answerHeading === null) throw editRefused('edit_no_answer_section', { id });
  const heading = `### ${entry.spanishHeadings ? 'Frases' : 'Phrasings'}${eol}`;
  return { text: insertAfter(lines, entry.answerHeading - 1, [heading, ...items, eol], eol), added };
}

/** Appends a FAQ at the end of the file (or makes the file's whole text when it is new: `text` ''). */
export function appendFaq(text: string, faq: NewFaq, lang: Lang): string {
  checkLine(faq.question, 'question');
  faq.phrasings.forEach((p) => checkLine(p, 'phrasing'));
  const answer = faq.answer.trim();
  if (!answer) throw editRefused('edit_answer_empty');
  if (hasBrokenCharacter(answer)) throw editRefused('edit_broken_character', { what: 'answer' });
  const heading = /^###\s+(.*)$/m.exec(answer);
  if (/^##\s/m.test(answer) || (heading && SECTION_NAMES[sectionKey(heading[1]!)])) {
    throw editRefused('edit_answer_heading');
  }
  const eol = text ? lineEnding(text) : '\n';
  // Follow the file's choice of Spanish or English section names; a new Spanish file gets Spanish ones.
  const spanish = /^###\s+(frases|respuesta)\s*$/im.test(text) || (lang === 'es' && !/^###\s+(phrasings|answer)\s*$/im.test(text));
  const block = [
    `## ${faq.question.trim()}`,
    `id: ${faq.id}`,
    '',
    `### ${spanish ? 'Frases' : 'Phrasings'}`,
    ...faq.phrasings.map((p) => `- ${p.trim()}`),
    '',
    `### ${spanish ? 'Respuesta' : 'Answer'}`,
    ...answer.split(/\r?\n/).map((line) => line.trimEnd()),
  ].join(eol) + eol;
  if (!text) return block;
  const separator = text.endsWith(eol + eol) ? '' : text.endsWith(eol) ? eol : eol + eol;
  return text + separator + block;
}

/**
 * A lone UTF-16 surrogate (JSON's "\ud800" is valid): written as UTF-8 it becomes U+FFFD, and the
 * loader refuses the whole file as "not UTF-8", dropping every FAQ in it.
 */
export function hasBrokenCharacter(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** One line of text that the parser reads back unchanged. */
function checkLine(value: string, what: EditedText): void {
  const trimmed = value.trim();
  if (!trimmed) throw editRefused('edit_empty', { what });
  if (hasBrokenCharacter(trimmed)) throw editRefused('edit_broken_character', { what });
  if (/[\r\n]/.test(trimmed)) throw editRefused('edit_not_one_line', { what, text: trimmed.slice(0, 40) });
  if (trimmed.startsWith('#')) throw editRefused('edit_starts_with_hash', { what, text: trimmed.slice(0, 40) });
}

/** Lines with their line endings, so joining them gives back the text byte for byte. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function insertAfter(lines: string[], index: number, added: string[], eol: string): string {
  const before = lines.slice(0, index + 1);
  // Only when the anchor is the file's last line without a line ending does a byte of it change.
  if (before.length > 0 && !before[before.length - 1]!.endsWith('\n')) before[before.length - 1] += eol;
  return [...before, ...added, ...lines.slice(index + 1)].join('');
}

function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** The entries of a file the way src/knowledge/parse-entries.ts reads them, with where each part is. */
function scan(lines: string[]): ScannedEntry[] {
  const entries: ScannedEntry[] = [];
  let current: (ScannedEntry & { section: 'fields' | 'phrasings' | 'answer' }) | null = null;
  lines.forEach((raw, index) => {
    // Read past a byte-order mark as the parser does; the mark itself stays in the file.
    const line = (index === 0 ? raw.replace(/^\uFEFF/, '') : raw).replace(/\r?\n$/, '').trimEnd();
    const entryHeading = /^##\s+(.*)$/.exec(line);
    if (entryHeading && !line.startsWith('###')) {
      current = { id: null, question: entryHeading[1]!.trim(), phrasings: [], phrasingsHeading: null, lastPhrasing: null, answerHeading: null, spanishHeadings: false, section: 'fields' };
      entries.push(current);
      return;
    }
    if (!current) return;
    const entry = current as ScannedEntry & { section: 'fields' | 'phrasings' | 'answer' };
    const sectionHeading = /^###\s+(.*)$/.exec(line);
    const section = sectionHeading ? SECTION_NAMES[sectionKey(sectionHeading[1]!)] : undefined;
    if (section) {
      entry.section = section;
      if (section === 'phrasings' && entry.phrasingsHeading === null) entry.phrasingsHeading = index;
      if (section === 'answer' && entry.answerHeading === null) {
        entry.answerHeading = index;
        entry.spanishHeadings = sectionKey(sectionHeading![1]!) === 'respuesta';
      }
      return;
    }
    if (entry.section === 'phrasings') {
      const item = /^\s*[-*]\s+(.*)$/.exec(line);
      if (item && item[1]!.trim()) {
        entry.phrasings.push(item[1]!.trim());
        entry.lastPhrasing = index;
      }
    } else if (entry.section === 'fields') {
      const field = /^id\s*:\s*(.*)$/i.exec(line.trim());
      if (field && entry.id === null) entry.id = field[1]!.trim();
    }
  });
  return entries;
}

function sectionKey(heading: string): string {
  return heading.trim().toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
}

/** Loose equality for phrasings, as src/knowledge/validate.ts compares them. */
function comparisonKey(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
