import type { Entry, Problem } from './types';

const MIN_PHRASINGS = 3;

/** Checks across files: duplicate ids, dangling related ids, missing translations, thin or shared phrasings. */
export function validateKnowledge(all: Entry[]): { entries: Entry[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (entry: Entry) => ({ file: entry.source.file, line: entry.source.line });
  const byKey = new Map<string, Entry>();
  const entries: Entry[] = [];

  for (const entry of all) {
    const key = `${entry.lang}:${entry.id}`;
    const first = byKey.get(key);
    if (first) {
      problems.push({ ...at(entry), severity: 'error', message: `id "${entry.id}" is already used in ${first.source.file}:${first.source.line}: give this entry another id (ids are unique per language)` });
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
      problems.push({ ...at(entry), severity: 'error', message: `id "${entry.id}" names both a FAQ and an intent (${other.source.file}:${other.source.line}): rename one` });
    }
    kindById.set(entry.id, entry);

    for (const related of entry.related) {
      if (!byKey.has(`${entry.lang}:${related}`)) {
        problems.push({ ...at(entry), severity: 'warning', message: `related id "${related}" does not exist in ${entry.lang}: fix the id or add that entry` });
      }
    }
    if (entry.kind === 'faq' && entry.phrasings.length < MIN_PHRASINGS) {
      problems.push({ ...at(entry), severity: 'warning', message: `"${entry.id}" has ${entry.phrasings.length} phrasings: add at least ${MIN_PHRASINGS} (5 or more is better) so the bot recognises other wordings` });
    }
    for (const phrasing of [entry.question, ...entry.phrasings]) {
      const key = `${entry.lang}:${comparisonKey(phrasing)}`;
      const owner = phrasingOwner.get(key);
      if (owner && owner.id !== entry.id) {
        problems.push({ ...at(entry), severity: 'warning', message: `"${phrasing}" is also a phrasing of "${owner.id}" (${owner.source.file}:${owner.source.line}): keep it in one entry only` });
      }
      phrasingOwner.set(key, entry);
    }
  }

  const langsById = new Map<string, Set<string>>();
  for (const entry of entries) langsById.set(entry.id, (langsById.get(entry.id) ?? new Set()).add(entry.lang));
  const allLangs = new Set(entries.map((e) => e.lang));
  for (const entry of entries) {
    const missing = [...allLangs].filter((lang) => !langsById.get(entry.id)!.has(lang));
    if (missing.length > 0) {
      problems.push({ ...at(entry), severity: 'warning', message: `"${entry.id}" has no translation in ${missing.join(', ')}: add an entry with the same id there` });
    }
  }
  return { entries, problems };
}

/** Loose equality for phrasings: case, accents and punctuation do not count. */
function comparisonKey(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
