import type { SynonymGroup } from '../knowledge/types';
import { normalize, words } from './normalize';

export interface SynonymMap {
  /** Replaces every variant (word or phrase) in a normalized text by its group's canonical word. */
  apply(normalized: string): string;
}

/**
 * Variants are matched on whole words, longest first ("meses sin intereses" before "meses"), and
 * normalized the same way as messages so that an editor may write them with or without accents.
 */
export function buildSynonyms(groups: readonly SynonymGroup[]): SynonymMap {
  const canonicalOf = new Map<string, string>();
  for (const group of groups) {
    const canonical = normalize(group[0] ?? '');
    if (!canonical) continue;
    for (const variant of group.slice(1)) {
      const key = normalize(variant);
      if (key && key !== canonical && !canonicalOf.has(key)) canonicalOf.set(key, canonical);
    }
  }
  const longestPhrase = Math.max(0, ...[...canonicalOf.keys()].map((key) => words(key).length));
  return {
    apply(normalized) {
      if (canonicalOf.size === 0) return normalized;
      const input = words(normalized);
      const output: string[] = [];
      for (let i = 0; i < input.length; ) {
        let replaced = false;
        for (let size = Math.min(longestPhrase, input.length - i); size >= 1; size--) {
          const canonical = canonicalOf.get(input.slice(i, i + size).join(' '));
          if (canonical !== undefined) {
            output.push(canonical);
            i += size;
            replaced = true;
            break;
          }
        }
        if (!replaced) output.push(input[i++]);
      }
      return output.join(' ');
    },
  };
}
