import { problem } from './problems';
import type { Entry, Problem } from './types';

const MIN_PHRASINGS = 3;

/** Checks across files: duplicate ids, dangling related ids, missing translations, thin or shared phrasings. */
export function validateKnowledge(all: Entry[]): { entries: Entry[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (entry: Entry, line?: number) => ({ file: entry.source.file, line: line ?? entry.source.line });
  const where = (entry: Entry, line?: number) => `${entry.source.file}:${line ?? entry.source.line}`;
  const byKey = new Map<string, Entry>();
  const entries: Entry[] = [];

  for (const entry of all) {
    const key = `${entry.lang}:${entry.id}`;
    const first = byKey.get(key);
    if (first) {
      problems.push(problem(at(entry, entry.source.idLine), 'error', 'id_taken', { id: entry.id, first: where(first, first.source.idLine) }));
      continue;
    }
    byKey.set(key, entry);
    entries.push(entry);
  }

  const kindById = new Map<string, Entry>();
  const phrasingOwner = new Map<string, Entry>();
  for (const entry of entries) {
    const other = kindById.get(entry.id);
    if (other && other.kind !== entry.kind) {
      problems.push(problem(at(entry), 'error', 'id_faq_and_intent', { id: entry.id, other: where(other) }));
    }
    kindById.set(entry.id, entry);

    for (const related of entry.related) {
      if (!byKey.has(`${entry.lang}:${related}`)) {
        problems.push(problem(at(entry, entry.source.relatedLine), 'warning', 'related_missing', { related, lang: entry.lang }));
      }
    }
    if (entry.kind === 'faq' && entry.phrasings.length < MIN_PHRASINGS) {
      problems.push(problem(at(entry), 'warning', 'few_phrasings', { id: entry.id, count: entry.phrasings.length, minimum: MIN_PHRASINGS }));
    }
    [entry.question, ...entry.phrasings].forEach((phrasing, index) => {
      const key = `${entry.lang}:${comparisonKey(phrasing)}`;
      const owner = phrasingOwner.get(key);
      if (owner && owner.id !== entry.id) {
        const line = index === 0 ? entry.source.line : entry.source.phrasingLines?.[index - 1];
        problems.push(problem(at(entry, line), 'warning', 'phrasing_shared', { phrasing, owner: owner.id, where: where(owner) }));
      }
      phrasingOwner.set(key, entry);
    });
  }

  const langsById = new Map<string, Set<string>>();
  for (const entry of entries) langsById.set(entry.id, (langsById.get(entry.id) ?? new Set()).add(entry.lang));
  const allLangs = new Set(entries.map((e) => e.lang));
  for (const entry of entries) {
    const missing = [...allLangs].filter((lang) => !langsById.get(entry.id)!.has(lang));
    if (missing.length > 0) {
      problems.push(problem(at(entry), 'warning', 'translation_missing', { id: entry.id, langs: missing.join(', ') }));
    }
  }
  return { entries, problems };
}

/** Loose equality for phrasings: case, accents and punctuation do not count. */
function comparisonKey(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
