import type { SynonymGroup } from '../knowledge/types';
import { normalize, words } from './normalize';

export interface SynonymMap {
  /** Replaces every variant (word or phrase) in a normalized text by its group's canonical word. */
  apply(normalized: string): string;
  /** The same on a text's words: the words of `apply(input.join(' '))`. */
  applyToWords(input: readonly string[]): string[];
}

/**
 * Variants are matched on whole words, longest first ("meses sin intereses" before "meses"), and
 * normalized the same way as messages so that an editor may write them with or without accents.
 */
export function buildSynonyms(groups: readonly SynonymGroup[]): SynonymMap {
  const canonicalOf = new Map<string, string[]>();
  for (const group of groups) {
    const canonical = normalize(group[0] ?? '');
    if (!canonical) continue;
    for (const variant of group.slice(1)) {
      const key = normalize(variant);
      if (key && key !== canonical && !canonicalOf.has(key)) canonicalOf.set(key, words(canonical));
    }
  }
  const phrases = [...canonicalOf.keys()].map(words).filter((phrase) => phrase.length > 1);
  const longestPhrase = Math.max(1, ...phrases.map((phrase) => phrase.length));
  // Most words start no phrase: they are looked up once, without joining their neighbours.
  const phraseStarts = new Set(phrases.map((phrase) => phrase[0]));

  function applyToWords(input: readonly string[]): string[] {
    if (canonicalOf.size === 0) return [...input];
    const output: string[] = [];
    const variantAt = (i: number, size: number) => canonicalOf.get(size === 1 ? input[i] : input.slice(i, i + size).join(' '));
    for (let i = 0; i < input.length; ) {
      let size = phraseStarts.has(input[i]) ? Math.min(longestPhrase, input.length - i) : 1;
      let replacement = variantAt(i, size);
      while (replacement === undefined && size > 1) replacement = variantAt(i, --size);
      if (replacement === undefined) {
        output.push(input[i++]);
      } else {
        output.push(...replacement);
        i += size;
      }
    }
    return output;
  }

  return {
    applyToWords,
    apply: (normalized) => (canonicalOf.size === 0 ? normalized : applyToWords(words(normalized)).join(' ')),
  };
}
