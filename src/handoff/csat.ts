import type { Lang } from '../knowledge/types';
import type { StoredMessage } from '../store';

/** Option ids of the rating question; the widget shows them as a 1–5 rating card with a comment box. */
export const CSAT_PREFIX = 'csat:';
export const CSAT_RATINGS = [1, 2, 3, 4, 5] as const;

const QUESTION: Record<Lang, string> = {
  es: '¿Cómo te atendimos? Califica de 1 (mal) a 5 (excelente); si quieres, déjanos un comentario.',
  en: 'How did we do? Rate us from 1 (poor) to 5 (excellent); add a comment if you like.',
};

export function csatQuestion(lang: Lang): { text: string; options: Array<{ id: string; label: string }> } {
  return { text: QUESTION[lang], options: CSAT_RATINGS.map((rating) => ({ id: `${CSAT_PREFIX}${rating}`, label: String(rating) })) };
}

/** Whether a stored message is a rating question (so a rating can only answer one). */
export function isCsatQuestion(message: StoredMessage): boolean {
  return message.sender === 'bot' && message.options.length === CSAT_RATINGS.length && message.options.every((option) => option.id.startsWith(CSAT_PREFIX));
}
