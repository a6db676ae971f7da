import type { Entry, SourceRef } from './types';

const PLACEHOLDER = /\[\[([^\]]+)\]\]/g;

/** Demo facts marked `[[...]]` that a shop still has to replace with its own. */
export function findPlaceholders(entries: Entry[]): Array<SourceRef & { id: string; text: string }> {
  return entries.flatMap((entry) =>
    [...entry.answer.matchAll(PLACEHOLDER)].map((match) => ({ ...entry.source, id: entry.id, text: match[1] })),
  );
}

/** What a shopper sees: the placeholder's text without the brackets. */
export function stripPlaceholders(markdown: string): string {
  return markdown.replace(PLACEHOLDER, '$1');
}
