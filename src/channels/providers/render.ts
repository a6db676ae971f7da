import type { Choice } from '../../engine/types';
import { isCsatQuestion } from '../../handoff/csat';
import type { Lang } from '../../knowledge/types';
import type { StoredMessage } from '../../store';

/**
 * How a stored message reads on a messaging app: markdown turned into the app's formatting, options as
 * numbered lines the shopper answers with a digit, and text split at the provider's length limit. Pure.
 */

/** Twilio refuses a WhatsApp body over 1,600 characters; Messenger's text limit is 2,000. */
export const WHATSAPP_MAX_CHARS = 1600;
export const MESSENGER_MAX_CHARS = 2000;

const HINT: Record<Lang, { pick: string; csat: string; agent: (name: string) => string }> = {
  es: { pick: 'Responde con el número de la opción.', csat: '¿Cómo te atendimos? Responde del 1 (mal) al 5 (excelente).', agent: (name) => name },
  en: { pick: 'Reply with the number of the option.', csat: 'How did we do? Reply from 1 (poor) to 5 (excellent).', agent: (name) => name },
};

export type Formatting = 'whatsapp' | 'plain';

/** The options a message offers, in the order they are numbered: "did you mean" choices, then related questions. */
export function choicesOf(message: StoredMessage): Choice[] {
  return isCsatQuestion(message) ? [] : [...message.options, ...message.related];
}

/** A reply that is only a number ("2", " 2.", "2)"): the option's index, or null. */
export function pickedNumber(text: string): number | null {
  const match = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(text);
  return match ? Number(match[1]) : null;
}

/** Markdown as WhatsApp shows it (*bold*, _italic_, • lists, links spelled out), or as plain text. */
export function formatMarkdown(markdown: string, formatting: Formatting): string {
  const bold = formatting === 'whatsapp' ? '*' : '';
  const italic = formatting === 'whatsapp' ? '_' : '';
  const BOLD = '\u0001';
  return markdown
    .replace(/\r\n?/g, '\n')
    .replace(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm, `${BOLD}$1${BOLD}`)
    .replace(/\*\*(.+?)\*\*|__(.+?)__/g, (_all, a: string | undefined, b: string | undefined) => `${BOLD}${a ?? b}${BOLD}`)
    .replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])/g, `$1${italic}$2${italic}`)
    .replace(/(^|[^\w])_(?!\s)([^_\n]+?)(?<!\s)_(?!\w)/g, `$1${italic}$2${italic}`)
    .replace(/!?\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_all, text: string, url: string) => (!text || text === url ? url : `${text} (${url})`))
    .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
    .replace(/^(\s*)[-*+]\s+/gm, '$1• ')
    .replace(new RegExp(BOLD, 'g'), bold)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The text of a stored message on a messaging app, with its options numbered and a line saying how to answer. */
export function renderMessage(message: StoredMessage, formatting: Formatting, lang: Lang): string {
  const hint = HINT[message.lang ?? lang] ?? HINT[lang];
  if (isCsatQuestion(message)) return hint.csat;
  let text = formatMarkdown(message.text, formatting);
  if (message.sender === 'agent' && message.authorName) text = formatting === 'whatsapp' ? `*${hint.agent(message.authorName)}:* ${text}` : `${message.authorName}: ${text}`;
  if (message.sender === 'system' && formatting === 'whatsapp') text = `_${text}_`;
  const choices = choicesOf(message);
  if (choices.length === 0) return text;
  const lines = choices.map((choice, index) => `${index + 1}. ${formatMarkdown(choice.label, formatting)}`);
  return `${text}\n\n${lines.join('\n')}\n\n${hint.pick}`;
}

/**
 * Pieces of at most `limit` characters, cut at the last paragraph break that fits, else a line break, else
 * the end of a sentence, else a space; a word longer than the limit is cut where it must be.
 */
export function splitMessage(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const cut = lastBreak(window, /\n\s*\n/g) ?? lastBreak(window, /\n/g) ?? lastBreak(window, /[.!?…](?=\s)/g, 1) ?? lastBreak(window, /\s/g) ?? limit;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** Where the last match of `pattern` in `window` starts (plus `keep` characters kept on the left), if past the first quarter. */
function lastBreak(window: string, pattern: RegExp, keep = 0): number | null {
  let found: number | null = null;
  for (const match of window.matchAll(pattern)) {
    const at = match.index + keep;
    if (at > window.length / 4 && at < window.length) found = at;
  }
  return found;
}
