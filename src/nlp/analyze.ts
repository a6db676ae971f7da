import type { Lang, SynonymGroup } from '../knowledge/types';
import { LONGEST_REMEMBERED_WORD, normalize, words } from './normalize';
import { isStopword, stem } from './stem';
import { buildSynonyms } from './synonyms';
import { buildTypoCorrector, type Correction } from './typos';

const STEM_CACHE_LIMIT = 50_000;

export interface Analysis {
  /** The text after normalization. */
  normalized: string;
  corrections: Correction[];
  /** Words after typo repair and synonyms. */
  words: string[];
  /** One stem per word. */
  stems: string[];
}

export interface Analyzer {
  readonly lang: Lang;
  analyze(text: string): Analysis;
  isStopword(word: string): boolean;
}

/**
 * The language pipeline for one knowledge base: normalize → repair typos against the knowledge base's
 * own words → replace synonyms by their canonical word → stem. `texts` are the knowledge base's
 * phrasings; they give the vocabulary typos are repaired to.
 */
export function buildAnalyzer(texts: readonly string[], options: { lang: Lang; synonyms?: readonly SynonymGroup[] }): Analyzer {
  const { lang } = options;
  const synonyms = buildSynonyms(options.synonyms ?? []);
  // Stemming is the slowest step and a knowledge base repeats the same few thousand words.
  const stems = new Map<string, string>();
  const stemOf = (word: string) => {
    let result = stems.get(word);
    if (result === undefined) {
      result = stem(word, lang);
      if (word.length > LONGEST_REMEMBERED_WORD) return result;
      if (stems.size >= STEM_CACHE_LIMIT) stems.clear();
      stems.set(word, result);
    }
    return result;
  };
  const vocabulary = new Map<string, number>();
  const knownStems = new Set<string>();
  const learn = (word: string) => {
    vocabulary.set(word, (vocabulary.get(word) ?? 0) + 1);
    knownStems.add(stemOf(word));
  };
  for (const text of texts) words(normalize(text)).forEach(learn);
  for (const group of options.synonyms ?? []) group.forEach((phrase) => words(normalize(phrase)).forEach(learn));

  const corrector = buildTypoCorrector(vocabulary, (word) => isStopword(word, lang) || knownStems.has(stemOf(word)));

  return {
    lang,
    isStopword: (word) => isStopword(word, lang),
    analyze(text) {
      const normalized = normalize(text);
      const corrections: Correction[] = [];
      const repaired = words(normalized).map((word) => {
        const to = corrector.correct(word);
        // "perro" is no slip of "pero": a repair into a stop word would erase the message's topic word.
        if (to === null || isStopword(to, lang)) return word;
        corrections.push({ from: word, to });
        return to;
      });
      const canonical = synonyms.applyToWords(repaired);
      return { normalized, corrections, words: canonical, stems: canonical.map(stemOf) };
    },
  };
}
