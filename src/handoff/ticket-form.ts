import type { Lang } from '../knowledge/types';
import { TEXTS } from './texts';

/** The "leave us a message" form, one question per turn; kept in dialog state so it survives restarts. */
export type TicketForm = { step: 'name' } | { step: 'email'; name: string } | { step: 'message'; name: string; email: string };

export type FormStep =
  | { kind: 'ask'; form: TicketForm; text: string }
  | { kind: 'done'; ticket: { name: string; email: string; message: string } }
  | { kind: 'cancelled'; text: string };

const CANCEL = /^\s*(cancelar|cancela|salir|cancel|stop|exit)\s*[.!]?\s*$/i;
// Deliberately loose: the point is catching typos like "ana@gmail" before we promise to write there.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const MAX_NAME = 80;
const MAX_EMAIL = 254;

export function stepTicketForm(form: TicketForm, text: string, lang: Lang): FormStep {
  const t = TEXTS[lang];
  const answer = text.trim();
  if (CANCEL.test(answer)) return { kind: 'cancelled', text: t.formCancelled };
  switch (form.step) {
    case 'name': {
      const name = answer.replace(/^(me llamo|soy|mi nombre es|my name is|i am|i'm)\s+/i, '');
      if (!name || name.length > MAX_NAME) return { kind: 'ask', form, text: t.badName };
      return { kind: 'ask', form: { step: 'email', name }, text: t.askEmail(name) };
    }
    case 'email': {
      const email = answer.match(/[^\s@<>()]+@[^\s@<>()]+/)?.[0]?.replace(/[.,;]+$/, '') ?? '';
      if (!EMAIL.test(email) || email.length > MAX_EMAIL) return { kind: 'ask', form, text: t.badEmail };
      return { kind: 'ask', form: { step: 'message', name: form.name, email: email.toLowerCase() }, text: t.askMessage };
    }
    case 'message':
      if (!answer) return { kind: 'ask', form, text: t.askMessage };
      return { kind: 'done', ticket: { name: form.name, email: form.email, message: answer } };
  }
}
