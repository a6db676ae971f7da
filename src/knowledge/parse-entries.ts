import { problem } from './problems';
import type { Entry, Lang, Problem } from './types';

/**
 * Parses one knowledge or intent file (grammar in docs/knowledge-format.md).
 * Never throws: a broken entry becomes a problem and is left out; the rest of the file still loads.
 */

const FIELD_ALIASES: Record<string, 'id' | 'tags' | 'related' | 'escalate'> = {
  id: 'id',
  tags: 'tags',
  etiquetas: 'tags',
  related: 'related',
  relacionadas: 'related',
  escalate: 'escalate',
  escalar: 'escalate',
};
const SECTION_ALIASES: Record<string, 'phrasings' | 'answer'> = {
  phrasings: 'phrasings',
  frases: 'phrasings',
  answer: 'answer',
  respuesta: 'answer',
};
const TRUE_WORDS = new Set(['true', 'yes', 'si', 'sí']);
const FALSE_WORDS = new Set(['false', 'no']);
/** The knowledge page's limit too: every answer the bot gives is sent and stored, once per question. */
export const MAX_ANSWER_CHARS = 5000;
export const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

interface Draft {
  line: number;
  question: string;
  fields: Partial<Record<'id' | 'tags' | 'related' | 'escalate', { value: string; line: number }>>;
  phrasings: Array<{ text: string; line: number }>;
  answerLines: string[];
  /** The "### Answer" heading's line. */
  answerLine?: number;
  section: 'fields' | 'phrasings' | 'answer';
  problems: Problem[];
}

export interface ParsedFile {
  entries: Entry[];
  problems: Problem[];
}

export function parseEntries(text: string, file: string, lang: Lang, kind: Entry['kind']): ParsedFile {
  const entries: Entry[] = [];
  const problems: Problem[] = [];
  let draft: Draft | null = null;

  const finish = () => {
    if (!draft) return;
    const entry = toEntry(draft, file, lang, kind);
    problems.push(...draft.problems);
    if (entry) entries.push(entry);
    draft = null;
  };

  // A byte-order mark (some Windows editors save one) would hide the first "## " heading, and its entry.
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trimEnd();
    const entryHeading = /^##\s+(.*)$/.exec(line);
    if (entryHeading && !line.startsWith('###')) {
      finish();
      draft = { line: lineNo, question: entryHeading[1].trim(), fields: {}, phrasings: [], answerLines: [], section: 'fields', problems: [] };
      if (!draft.question) draft.problems.push(problem({ file, line: lineNo }, 'error', 'empty_heading'));
      return;
    }
    if (!draft) return; // a file title or introduction before the first entry
    const current: Draft = draft;
    const sectionHeading = /^###\s+(.*)$/.exec(line);
    if (sectionHeading) {
      const section = SECTION_ALIASES[normalizeKey(sectionHeading[1])];
      if (section) {
        current.section = section;
        if (section === 'answer') current.answerLine ??= lineNo;
        return;
      }
      if (current.section !== 'answer') {
        current.problems.push(problem({ file, line: lineNo }, 'error', 'unknown_section', { section: sectionHeading[1].trim() }));
        return;
      }
    }
    if (current.section === 'answer') {
      current.answerLines.push(raw);
      return;
    }
    if (line.trim() === '') return;
    if (current.section === 'phrasings') {
      const item = /^\s*[-*]\s+(.*)$/.exec(line);
      if (item && item[1].trim()) current.phrasings.push({ text: item[1].trim(), line: lineNo });
      else current.problems.push(problem({ file, line: lineNo }, 'error', 'phrasing_not_listed'));
      return;
    }
    const field = /^([\p{L}\w-]+)\s*:\s*(.*)$/u.exec(line.trim());
    const key = field ? FIELD_ALIASES[normalizeKey(field[1])] : undefined;
    if (!field) {
      current.problems.push(problem({ file, line: lineNo }, 'error', 'field_expected'));
    } else if (!key) {
      current.problems.push(problem({ file, line: lineNo }, 'error', 'unknown_field', { field: field[1] }));
    } else if (current.fields[key]) {
      current.problems.push(problem({ file, line: lineNo }, 'error', 'field_twice', { field: key, first: current.fields[key]!.line }));
    } else {
      current.fields[key] = { value: field[2].trim(), line: lineNo };
    }
  });
  finish();
  return { entries, problems };
}

function toEntry(draft: Draft, file: string, lang: Lang, kind: Entry['kind']): Entry | null {
  const id = draft.fields.id?.value ?? '';
  if (!draft.fields.id) draft.problems.push(problem({ file, line: draft.line }, 'error', 'id_missing', { question: draft.question }));
  else if (!ID_PATTERN.test(id)) draft.problems.push(problem({ file, line: draft.fields.id.line }, 'error', 'id_malformed', { id }));

  const answer = draft.answerLines.join('\n').trim();
  if (!answer) draft.problems.push(problem({ file, line: draft.line }, 'error', 'answer_missing', { entry: id || draft.question }));
  else if (answer.length > MAX_ANSWER_CHARS) {
    draft.problems.push(problem({ file, line: draft.answerLine ?? draft.line }, 'error', 'answer_too_long', { entry: id || draft.question, length: answer.length, max: MAX_ANSWER_CHARS }));
  }

  let escalate = false;
  const escalateField = draft.fields.escalate;
  if (escalateField) {
    const word = escalateField.value.toLowerCase();
    if (TRUE_WORDS.has(word)) escalate = true;
    else if (!FALSE_WORDS.has(word)) draft.problems.push(problem({ file, line: escalateField.line }, 'error', 'escalate_malformed', { value: escalateField.value }));
  }

  const related = splitList(draft.fields.related?.value);
  const badRelated = related.filter((r) => !ID_PATTERN.test(r));
  if (badRelated.length > 0) draft.problems.push(problem({ file, line: draft.fields.related!.line }, 'error', 'related_malformed', { ids: badRelated.map((r) => `"${r}"`).join(', ') }));

  if (draft.problems.some((p) => p.severity === 'error')) return null;
  return {
    id,
    kind,
    lang,
    question: draft.question,
    phrasings: draft.phrasings.map((phrasing) => phrasing.text),
    answer,
    tags: splitList(draft.fields.tags?.value),
    related,
    escalate,
    source: {
      file,
      line: draft.line,
      phrasingLines: draft.phrasings.map((phrasing) => phrasing.line),
      idLine: draft.fields.id?.line,
      relatedLine: draft.fields.related?.line,
    },
  };
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function normalizeKey(key: string): string {
  return key.trim().toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
}
