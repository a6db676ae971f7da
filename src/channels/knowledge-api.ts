import { z } from 'zod';
import { AtentoError } from '../errors';
import type { EditedText, ProblemCode } from '../knowledge/problems';
import { hasBrokenCharacter } from '../knowledge/write-entries';
import { MAX_ANSWER_CHARS } from '../knowledge/parse-entries';
import { isLang, LANGUAGES, type Problem } from '../knowledge/types';

/** JSON bodies and queries of the knowledge page's routes (docs/knowledge-editing.md), checked at the edge. */

const MAX_LINE = 300;
const MAX_PHRASINGS = 50;

const lang = z.enum(LANGUAGES);
const BROKEN_CHARACTER = { message: 'has a broken character (a lone UTF-16 surrogate): type it again', params: { refusal: 'edit_broken_character' } };
const line = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_LINE, `at most ${MAX_LINE} characters`)
  .refine((text) => !/[\r\n]/.test(text), { message: 'must be one line', params: { refusal: 'edit_not_one_line' } })
  .refine((text) => !hasBrokenCharacter(text), BROKEN_CHARACTER);
/** A list marker pasted with the phrasings ("- ", "* ", "• ", "1. "): the writer adds the file's own "- ". */
const LIST_MARKER = /^\s*(?:[-*+•]|\d+[.)])(?:\s+|$)/;
/** Phrasings as pasted from a list: markers dropped, and the items left empty by that skipped. */
const phrasingList = (minimum: number) =>
  z
    .array(z.string())
    .transform((items) => items.map((item) => item.replace(LIST_MARKER, '')).filter((item) => item.trim() !== ''))
    .pipe(z.array(line).min(minimum, 'choose at least one question').max(MAX_PHRASINGS));
const faqId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lowercase letters, digits and "-" only (e.g. "gift-cards")').max(80);

export const gapsQuery = z.object({
  lang: lang.optional(),
  since: z
    .string()
    .refine((text) => !Number.isNaN(Date.parse(text)), 'a date such as 2026-11-01')
    .optional(),
});

export const tryQuery = z.object({
  text: z.string().trim().min(1, 'type a question').max(1000),
  lang: lang.optional(),
});

export const handledBody = z.object({
  lang,
  keys: z.array(z.string().min(1).max(500)).min(1).max(500),
});

export const phrasingsBody = z.object({
  id: faqId,
  lang,
  phrasings: phrasingList(1),
});

const faqInLanguage = z.object({
  question: line,
  answer: z.string().trim().min(1, 'write the answer').max(MAX_ANSWER_CHARS, `at most ${MAX_ANSWER_CHARS} characters`).refine((text) => !hasBrokenCharacter(text), BROKEN_CHARACTER),
  phrasings: phrasingList(0),
  /** Relative to the knowledge folder: "es/envios.md". */
  file: z.string().min(4).max(200).refine((text) => !hasBrokenCharacter(text), BROKEN_CHARACTER),
});

export const faqBody = z.object({
  id: faqId,
  languages: z
    .object({ es: faqInLanguage.optional(), en: faqInLanguage.optional() })
    .refine((languages) => languages.es !== undefined || languages.en !== undefined, 'give the FAQ in Spanish, English or both'),
});

/** `field: problem; field: problem` for a 400's message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}

/** What was refused, for a client to say in its own language (src/knowledge/problems.ts). */
export type Refusal = { code: ProblemCode; values: Problem['values'] };

/** A malformed body or query (400 `bad_frame`); with a refusal when the page's own forms could send it. */
export class RefusedRequestError extends AtentoError {
  constructor(
    message: string,
    readonly refusal: Refusal | undefined,
  ) {
    super('bad_frame', message);
  }
}

/** A body or query as `schema` reads it, or a RefusedRequestError naming every issue. */
export function parseRequest<T>(schema: z.ZodType<T>, value: unknown): T {
  // The refused text itself goes into the refusal ("must be one line: …").
  const result = schema.safeParse(value ?? {}, { reportInput: true });
  if (!result.success) throw new RefusedRequestError(describeIssues(result.error), refusalOf(result.error.issues[0], value));
  return result.data;
}

const EDITED_FIELDS: Record<string, EditedText> = { question: 'question', answer: 'answer', phrasings: 'phrasing' };

/**
 * The first issue of an edit's body as the page's forms would cause it: which text, in which of the FAQ's
 * languages ("languages.es.question", or a phrasing of the body's `lang`). Undefined for what no form sends.
 */
function refusalOf(issue: z.core.$ZodIssue | undefined, body: unknown): Refusal | undefined {
  if (!issue) return undefined;
  const inLanguages = issue.path[0] === 'languages';
  if (inLanguages && issue.path.length === 1) return { code: 'edit_no_language', values: {} };
  const field = String(inLanguages ? issue.path[2] : issue.path[0]);
  const faqLang = inLanguages ? issue.path[1] : (body as { lang?: unknown } | null)?.lang;
  if (field === 'id') return { code: 'edit_bad_id', values: { id: String(issue.input ?? '') } };
  if (field === 'file') return { code: 'edit_not_a_file', values: { file: String(issue.input ?? ''), lang: String(faqLang) } };
  const what = EDITED_FIELDS[field];
  if (!what) return undefined;
  // The list itself ("phrasings"), not one of its items ("phrasings.0").
  if (what === 'phrasing' && issue.path.length === (inLanguages ? 3 : 1)) {
    return issue.code === 'too_big' ? { code: 'edit_too_many_phrasings', values: { max: MAX_PHRASINGS } } : { code: 'edit_no_phrasings', values: {} };
  }
  const text: Problem['values'] = isLang(faqLang) ? { what, lang: faqLang } : { what };
  if (issue.code === 'too_small') return { code: 'edit_empty', values: text };
  if (issue.code === 'too_big') return { code: 'edit_too_long', values: { ...text, max: Number(issue.maximum) } };
  if (issue.code === 'custom' && issue.params?.refusal === 'edit_not_one_line') return { code: 'edit_not_one_line', values: { ...text, text: String(issue.input).trim().split(/\r?\n/)[0]!.slice(0, 40) } };
  if (issue.code === 'custom' && issue.params?.refusal === 'edit_broken_character') return { code: 'edit_broken_character', values: text };
  return undefined;
}
