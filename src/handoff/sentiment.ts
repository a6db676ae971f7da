import type { Lang } from '../knowledge/types';
import { normalize, words } from '../nlp';
import { valence } from './lexicon';

/**
 * Word starts that signal an angry shopper (normalized: lower case, no accents). Sentiment lexicons
 * alone miss shop-specific anger ("estafa", "profeco") and flag harmless words, so both must agree
 * unless the vocabulary alone is loud (two hits) or the lexicon alone is very negative.
 */
const COMPLAINT_WORDS: Record<Lang, readonly string[]> = {
  es: [
    'estafa', 'fraude', 'robo', 'roban', 'ladron', 'pesim', 'horribl', 'verguenza', 'furios', 'indignad', 'hart',
    'molest', 'enojad', 'encabronad', 'denunci', 'demandar', 'inutil', 'incompetent', 'desastr', 'porqueria', 'basura',
    'asco', 'terribl', 'inaceptabl', 'burla', 'abuso', 'profeco', 'sernac', 'indecopi',
  ],
  en: [
    'scam', 'fraud', 'ripoff', 'thie', 'steal', 'terribl', 'awful', 'horribl', 'disgust', 'furious', 'angry', 'outrag',
    'useless', 'incompetent', 'ridiculous', 'worst', 'unacceptabl', 'sue', 'lawyer', 'pathetic', 'disgrace',
  ],
};

/** Average lexicon score at or below this, together with a complaint word, counts as a complaint. */
export const NEGATIVE_WITH_VOCABULARY = -0.2;
/** Average lexicon score at or below this counts on its own ("terrible, awful service"). */
export const NEGATIVE_ALONE = -1;

export interface SentimentReading {
  score: number;
  complaintWords: string[];
  strongNegative: boolean;
}

/** Where a negation's reach ends ("no, perfecto" is two clauses; normalizing drops the comma). */
const CLAUSE_END = /[,.;:!?¡¿…]+/;

export function readSentiment(text: string, lang: Lang): SentimentReading {
  const clauses = text.split(CLAUSE_END).map((clause) => words(normalize(clause)));
  const tokens = clauses.flat();
  const complaintWords = tokens.filter((token) => COMPLAINT_WORDS[lang].some((start) => token.startsWith(start) && (start.length > 3 || token === start)));
  const score = valence(clauses, lang);
  const strongNegative =
    complaintWords.length >= 2 || score <= NEGATIVE_ALONE || (complaintWords.length >= 1 && score <= NEGATIVE_WITH_VOCABULARY);
  return { score, complaintWords, strongNegative };
}
