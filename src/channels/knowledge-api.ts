import { z } from 'zod';
import { hasBrokenCharacter } from '../knowledge/write-entries';
import { LANGUAGES } from '../knowledge/types';

/** JSON bodies and queries of the knowledge page's routes (docs/knowledge-editing.md), checked at the edge. */

const MAX_LINE = 300;
const MAX_ANSWER = 5000;
const MAX_PHRASINGS = 50;

const lang = z.enum(LANGUAGES);
const BROKEN = 'has a broken character (a lone UTF-16 surrogate): type it again';
const line = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_LINE, `at most ${MAX_LINE} characters`)
  .refine((text) => !/[\r\n]/.test(text), 'must be one line')
  .refine((text) => !hasBrokenCharacter(text), BROKEN);
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
  answer: z.string().trim().min(1, 'write the answer').max(MAX_ANSWER, `at most ${MAX_ANSWER} characters`).refine((text) => !hasBrokenCharacter(text), BROKEN),
  phrasings: phrasingList(0),
  /** Relative to the knowledge folder: "es/envios.md". */
  file: z.string().min(4).max(200).refine((text) => !hasBrokenCharacter(text), BROKEN),
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
