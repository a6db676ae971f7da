import type { Reply } from '../engine/types';
import type { Lang } from '../knowledge/types';
import { normalize, words } from '../nlp';
import { TEXTS } from './texts';

/** The "leave us a message" form, one question per turn; kept in dialog state so it survives restarts. */
export type TicketForm = { step: 'name' } | { step: 'email'; name: string } | { step: 'message'; name: string; email: string };

export type FormStep =
  | { kind: 'ask'; form: TicketForm; text: string }
  | { kind: 'done'; ticket: { name: string; email: string; message: string } }
  | { kind: 'cancelled'; text: string }
  /** The shopper asked for a person ("hablar con una persona"). */
  | { kind: 'handoff' }
  /** The message is not an answer but something else (a question, a new complaint): the bot takes it. */
  | { kind: 'aside' };

/** What the bot's engine made of a message, reduced to what the form needs to tell answers from questions. */
export interface FormReading {
  /** A FAQ or intent matched well enough to answer (or to offer as "did you mean…?"). */
  confident: boolean;
  /** Words of the message that the matched entry shares: one could be a coincidence ("Blanca"), two are not. */
  matchedTerms: number;
  /** Matched so surely that even one word is a message, not a name ("estafa", "gracias"). */
  certain: boolean;
  humanRequest: boolean;
}

/** No real name tried scored above 0.72 ("Blanca", "Esperanza", "Tomás"); one-word messages score 0.9+. */
const NOT_A_NAME_CONFIDENCE = 0.9;

export function understand(reply: Reply, answerThreshold: number): FormReading {
  const matched = reply.candidates.find((candidate) => candidate.id === reply.id)?.matched.length ?? 0;
  const confident = reply.action === 'clarify' || ((reply.action === 'answer' || reply.action === 'escalate') && reply.confidence >= answerThreshold);
  return {
    confident,
    matchedTerms: matched,
    certain: confident && reply.confidence >= NOT_A_NAME_CONFIDENCE,
    humanRequest: reply.action === 'escalate' && reply.reason === 'human-request',
  };
}

/** Also the ids of the buttons the form shows (see service.ts). */
export const FORM_CANCEL = 'handoff:form_cancel';
export const FORM_CHANGE_EMAIL = 'handoff:form_change_email';

const CANCEL = /^\s*(cancelar|cancela|salir|cancel|stop|exit)\s*[.!]?\s*$/i;

/** "cancelar", "salir"… on their own: a wish to stop whatever is going on, never a complaint. */
export function isCancelWord(text: string): boolean {
  return CANCEL.test(text);
}
const GREETING = /^(hola|buenas|buenos d[ií]as|buenas tardes|buenas noches|hi|hello|hey)\b[\s,!.]*/i;
const NAME_INTRO = /^(me llamo|mi nombre es|soy|my name is|i am|i'm|im)\s+/i;
const QUESTION_START =
  /^(que|como|cuando|donde|cuanto|cuanta|cuantos|cuantas|cual|cuales|por que|tienen|tiene|hay|puedo|pueden|se puede|hacen|aceptan|what|how|when|where|which|why|who|do|does|can|is|are)\b/;
/** Letters, spaces and the marks names carry (O'Brien, Jean-Luc, Ma. José); no digits, no "?" or "@". */
const NAME_SHAPE = /^\p{L}[\p{L}\p{M}'’. -]*$/u;
const MAX_NAME_WORDS = 4;
const MAX_NAME = 80;
/**
 * The one rule for an e-mail address we promise to write to: a conservative local@domain.tld with no
 * quotes, angle brackets, spaces or comments, so it can be shown and used as-is. Real-world addresses
 * fit; RFC 5322 exotica ("a b"@x.com) are refused on purpose.
 */
const EMAIL = /^[a-z0-9](?:[a-z0-9._%+-]{0,62}[a-z0-9_%+-])?@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const MAX_EMAIL = 254;

export function isValidEmail(candidate: string): boolean {
  const email = candidate.toLowerCase();
  return email.length <= MAX_EMAIL && EMAIL.test(email) && !email.includes('..');
}

/** The one e-mail address a message gives ("es ana@x.com."), or null; two addresses are not one. */
function emailIn(text: string): { email: string | null; tokens: number } {
  const tokens = text.split(/\s+/).filter((token) => token.includes('@'));
  if (tokens.length !== 1) return { email: null, tokens: tokens.length };
  const token = tokens[0]!.replace(/[.,;:!?)]+$/, '');
  return { email: isValidEmail(token) ? token.toLowerCase() : null, tokens: 1 };
}

function looksLikeQuestion(text: string): boolean {
  return /[?¿]/.test(text) || QUESTION_START.test(normalize(text));
}

/** The name in an answer to "what is your name?", or null when the answer is not a name. */
export function nameIn(text: string, understood: FormReading): string | null {
  if (looksLikeQuestion(text)) return null;
  const name = text.trim().replace(GREETING, '').replace(NAME_INTRO, '').trim().replace(/[.!]+$/, '');
  const nameWords = name.split(/\s+/).filter(Boolean);
  if (!name || name.length > MAX_NAME || nameWords.length > MAX_NAME_WORDS || !NAME_SHAPE.test(name)) return null;
  // "kiero devolver unas zapatillas" has a name's shape; what gives it away is what the bot understood.
  if (understood.certain || (understood.confident && (nameWords.length >= 3 || understood.matchedTerms >= 2))) return null;
  return name;
}

/** One answer to the form. `understood`: what the bot would make of the same message. */
export function stepTicketForm(form: TicketForm, text: string, lang: Lang, understood: FormReading): FormStep {
  const t = TEXTS[lang];
  const answer = text.trim();
  if (isCancelWord(answer)) return { kind: 'cancelled', text: t.formCancelled };
  if (understood.humanRequest) return { kind: 'handoff' };
  const offTopic = understood.confident || looksLikeQuestion(answer);
  switch (form.step) {
    case 'name': {
      const name = nameIn(answer, understood);
      if (name) return { kind: 'ask', form: { step: 'email', name }, text: t.askEmail(name) };
      if (offTopic || words(normalize(answer)).length > MAX_NAME_WORDS) return { kind: 'aside' };
      return { kind: 'ask', form, text: t.badName };
    }
    case 'email': {
      const { email, tokens } = emailIn(answer);
      if (email) return { kind: 'ask', form: { step: 'message', name: form.name, email }, text: t.askMessage(email) };
      if (tokens === 0 && offTopic) return { kind: 'aside' };
      return { kind: 'ask', form, text: t.badEmail };
    }
    case 'message': {
      // Only an address, right after we showed one back: a correction, not the message.
      const { email } = emailIn(answer);
      if (email && answer.split(/\s+/).length === 1) return { kind: 'ask', form: { ...form, email }, text: t.askMessage(email) };
      if (!answer) return { kind: 'ask', form, text: t.askMessage(form.email) };
      return { kind: 'done', ticket: { name: form.name, email: form.email, message: answer } };
    }
  }
}

/** The form's current question again, after an interruption (without thanking for the name a second time). */
export function currentQuestion(form: TicketForm, lang: Lang): string {
  const t = TEXTS[lang];
  if (form.step === 'name') return t.askName;
  if (form.step === 'email') return t.askEmailAgain(form.name);
  return t.askMessage(form.email);
}
