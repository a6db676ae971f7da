/**
 * Puts a message in the one form the matcher compares: lower case, no accents ("envío" = "envio",
 * "contraseña" = "contrasena", because shoppers often type without them), no punctuation, emoji or
 * ¿¡, letters repeated for emphasis collapsed ("holaaa" = "hola"; "mmm" = "mm", not the size "m"), digits split from letters
 * ("2dias" = "2 dias"), single spaces.
 *
 * One shopper message is normalized several times in a turn (stored with the message, read for anger,
 * for its language, and by the matcher), so the latest results are remembered: a lookup instead of a
 * Unicode normalization and seven regular expressions.
 */
export function normalize(text: string): string {
  let result = recent.get(text);
  if (result === undefined) {
    result = normalizeNow(text);
    if (text.length > LONGEST_REMEMBERED_TEXT) return result;
    if (recent.size >= RECENT_LIMIT) recent.clear();
    recent.set(text, result);
  }
  return result;
}

/** Enough for every message of a busy tick. */
const RECENT_LIMIT = 1024;
/** The default message limit (config `maxMessageChars`): a few megabytes at most are remembered. */
const LONGEST_REMEMBERED_TEXT = 2000;
const recent = new Map<string, string>();

/**
 * Caches keyed by a word leave longer ones out: no real word is this long, and a flood of made-up long
 * "words" must not fill memory.
 */
export const LONGEST_REMEMBERED_WORD = 40;

/** The few emoji shoppers send as a whole reply: read as the word they stand for before emoji are dropped. */
const EMOJI_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/\u{1F44D}|\u{1F44C}/gu, ' ok '], // 👍 👌
  [/\u{1F64F}/gu, ' gracias '], // 🙏
];

function normalizeNow(text: string): string {
  return EMOJI_WORDS.reduce((result, [emoji, word]) => result.replace(emoji, word), text)
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    // A word of one letter held down ("mmm", "aaa") is a sound, not that letter (the size "m").
    .replace(/(?<!\p{L})(\p{L})\1{2,}(?!\p{L})/gu, '$1$1')
    .replace(/(\p{L})\1{2,}/gu, '$1')
    .replace(/['’`´]/g, '')
    .replace(/(\d)[.,](?=\d)/g, '$1')
    .replace(/(\p{L})(?=\d)|(\d)(?=\p{L})/gu, '$1$2 ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The words of a normalized text. */
export function words(normalized: string): string[] {
  return normalized ? normalized.split(' ') : [];
}
