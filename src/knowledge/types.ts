import type { ProblemCode } from './problems';
import type { ShopValues } from './shop-values';

/** Languages the bot speaks. Adding one means a folder in knowledge/ and intents/ and a stemmer in src/nlp. */
export const LANGUAGES = ['es', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Where an entry or a problem comes from, for messages of the form `file:line: ...`. */
export interface SourceRef {
  file: string;
  line: number;
}

/**
 * One answerable thing: a FAQ from knowledge/ or a system intent from intents/.
 * The same `id` in both languages links the translations.
 */
export interface Entry {
  id: string;
  kind: 'faq' | 'intent';
  lang: Lang;
  /** The main question (FAQ) or a human title (intent); shown on clarify buttons. */
  question: string;
  /** Alternative ways shoppers ask; the main question is not repeated here. */
  phrasings: string[];
  /** Markdown answer (FAQ) or reply template (intent). */
  answer: string;
  tags: string[];
  related: string[];
  /** An exception topic: the bot answers, then hands off to a person. */
  escalate: boolean;
  source: EntrySource;
}

/** Where an entry and its parts are, so that a problem can point at the line to change. */
export interface EntrySource extends SourceRef {
  /** The line of each phrasing, in `phrasings` order (the question's is `line`). */
  phrasingLines?: number[];
  idLine?: number;
  relatedLine?: number;
}

export interface Problem extends SourceRef {
  severity: 'error' | 'warning';
  /** What is wrong, for `problemMessage` to tell in a language (src/knowledge/problems.ts). */
  code: ProblemCode;
  values: Record<string, string | number>;
  /** In English: what the CLI and the logs print. */
  message: string;
}

/** Equivalent words or phrases; the first is the canonical form the matcher sees. */
export type SynonymGroup = readonly string[];

export interface KnowledgeBase {
  entries: Entry[];
  synonyms: Record<Lang, SynonymGroup[]>;
  problems: Problem[];
  /** Facts answers name with `[[key]]`, per language (src/knowledge/shop-values.ts). */
  values: ShopValues;
  /** Content hash: changes whenever any loaded file changes. */
  version: string;
}
