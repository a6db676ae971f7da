import type { Lang, SynonymGroup } from '../knowledge/types';
import { normalize, words } from './normalize';
import { isStopword, stem } from './stem';
import { buildSynonyms } from './synonyms';
import { buildTypoCorrector, type Correction } from './typos';

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
  const vocabulary = new Map<string, number>();
  const knownStems = new Set<string>();
  const learn = (word: string) => {
    vocabulary.set(word, (vocabulary.get(word) ?? 0) + 1);
    knownStems.add(stem(word, lang));
  };
  for (const text of texts) words(normalize(text)).forEach(learn);
  for (const group of options.synonyms ?? []) group.forEach((phrase) => words(normalize(phrase)).forEach(learn));

  const corrector = buildTypoCorrector(vocabulary, (word) => isStopword(word, lang) || knownStems.has(stem(word, lang)));

  return {
    lang,
    isStopword: (word) => isStopword(word, lang),
    analyze(text) {
      const normalized = normalize(text);
      const corrections: Correction[] = [];
      const repaired = words(normalized).map((word) => {
        const to = corrector.correct(word);
        if (to === null) return word;
        corrections.push({ from: word, to });
        return to;
      });
      const canonical = words(synonyms.apply(repaired.join(' ')));
      return { normalized, corrections, words: canonical, stems: canonical.map((word) => stem(word, lang)) };
    },
  };
}
