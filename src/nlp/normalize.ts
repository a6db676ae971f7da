/**
 * Puts a message in the one form the matcher compares: lower case, no accents ("envío" = "envio",
 * "contraseña" = "contrasena", because shoppers often type without them), no punctuation, emoji or
 * ¿¡, letters repeated for emphasis collapsed ("holaaa" = "hola"), digits split from letters
 * ("2dias" = "2 dias"), single spaces.
 */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
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
