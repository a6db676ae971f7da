import type { Lang } from '../knowledge/types';

/** What the bot says when no knowledge-base entry fits. Shop-specific wording belongs in intents/. */
export const MESSAGES: Record<Lang, { fallback: string; clarify: string; clarifyOne: string }> = {
  es: {
    fallback:
      'Perdón, no estoy seguro de haber entendido. ¿Puedes decirlo con otras palabras? Si prefieres, te paso con una persona del equipo.',
    clarify: '¿Cuál de estas preguntas se parece más a la tuya?',
    clarifyOne: '¿Quisiste preguntar esto?',
  },
  en: {
    fallback: "Sorry, I'm not sure I understood. Could you say it another way? If you prefer, I can pass you to a person on our team.",
    clarify: 'Which of these is closest to your question?',
    clarifyOne: 'Did you mean this?',
  },
};
