import type { ShopValues } from './shop-values';
import type { Entry, SourceRef } from './types';

const PLACEHOLDER = /\[\[([^\]]+)\]\]/g;

export interface Placeholder extends SourceRef {
  id: string;
  text: string;
  /** Set for `[[key]]` placeholders: the shop value they name, still the country's demo value. */
  key?: string;
}

/**
 * What a shop still has to make its own: `[[key]]` values still taken from the country's demo profile,
 * and free-text demo facts `[[...]]` written in the answer itself.
 */
export function findPlaceholders(entries: Entry[], values: ShopValues): Placeholder[] {
  return entries.flatMap((entry) =>
    [...entry.answer.matchAll(PLACEHOLDER)].flatMap((match): Placeholder[] => {
      const value = values[entry.lang][match[1]];
      const at = { file: entry.source.file, line: entry.source.line, id: entry.id };
      if (!value) return [{ ...at, text: match[1] }];
      return value.demo ? [{ ...at, text: value.text, key: match[1] }] : [];
    }),
  );
}

/** What a shopper sees: `[[key]]` replaced by the shop's value, other placeholders without brackets. */
export function renderPlaceholders(markdown: string, values: ShopValues[keyof ShopValues]): string {
  return markdown.replace(PLACEHOLDER, (_whole, inner: string) => values[inner]?.text ?? inner);
}
