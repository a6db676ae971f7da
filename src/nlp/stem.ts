import englishStemmer from 'natural/lib/natural/stemmers/porter_stemmer';
import spanishStemmer from 'natural/lib/natural/stemmers/porter_stemmer_es';
import { words as englishStopwords } from 'natural/lib/natural/util/stopwords';
import { words as spanishStopwords } from 'natural/lib/natural/util/stopwords_es';
import type { Lang } from '../knowledge/types';
import { normalize } from './normalize';

// natural's Spanish stemmer knows suffixes by their accented spelling ("-ción"); words reach it without
// accents, so the commonest one is put back to let "devolucion" and "devoluciones" share a stem.
const ACCENTED_SUFFIXES: Array<[RegExp, string]> = [[/cion$/, 'ción']];

const STEMMERS: Record<Lang, (word: string) => string> = {
  en: (word) => englishStemmer.stem(word),
  es: (word) => normalize(spanishStemmer.stem(ACCENTED_SUFFIXES.reduce((w, [suffix, accented]) => w.replace(suffix, accented), word))),
};

/** Stems one normalized word. Numbers stay as they are. */
export function stem(word: string, lang: Lang): string {
  if (/^\d/.test(word) || word.length < 3) return word;
  return STEMMERS[lang](word);
}

// natural's Spanish list lacks the forms of "ser", "estar" and "haber".
const MORE_SPANISH_STOPWORDS = ['es', 'son', 'soy', 'eres', 'ser', 'fue', 'era', 'esta', 'estan', 'estoy', 'hay', 'ha', 'han', 'las', 'unos', 'unas'];

const STOPWORDS: Record<Lang, ReadonlySet<string>> = {
  // natural's English list holds every single letter; of those only "i" and "a" are words.
  en: new Set([...englishStopwords.filter((w) => /^[a-z]{2,}$/.test(w)), 'i', 'a']),
  es: new Set([...spanishStopwords.filter((w) => /^\p{L}{1,}$/u.test(w)), ...MORE_SPANISH_STOPWORDS].map(normalize)),
};

/** Function words ("el", "de", "the") that say little about what a shopper wants. */
export function isStopword(word: string, lang: Lang): boolean {
  return STOPWORDS[lang].has(word);
}

export function stopwords(lang: Lang): ReadonlySet<string> {
  return STOPWORDS[lang];
}
