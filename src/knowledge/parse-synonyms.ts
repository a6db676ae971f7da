import { problem } from './problems';
import type { Problem, SynonymGroup } from './types';

/** Parses a synonyms.txt file: `canonical: variant, variant` per line, `#` starts a comment. */
export function parseSynonyms(text: string, file: string): { groups: SynonymGroup[]; problems: Problem[] } {
  const groups: SynonymGroup[] = [];
  const problems: Problem[] = [];
  const firstSeen = new Map<string, number>();

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*/, '').trim();
    const lineNo = index + 1;
    if (!line) return;
    const match = /^([^:]+):(.*)$/.exec(line);
    if (!match) {
      problems.push(problem({ file, line: lineNo }, 'error', 'synonym_colon'));
      return;
    }
    const canonical = clean(match[1]);
    const variants = match[2].split(',').map(clean).filter((v) => v && v !== canonical);
    if (!canonical || variants.length === 0) {
      problems.push(problem({ file, line: lineNo }, 'error', 'synonym_variants', { line }));
      return;
    }
    for (const word of [canonical, ...variants]) {
      const previous = firstSeen.get(word);
      if (previous !== undefined) {
        problems.push(problem({ file, line: lineNo }, 'warning', 'synonym_repeated', { word, first: previous }));
      } else {
        firstSeen.set(word, lineNo);
      }
    }
    groups.push([canonical, ...variants]);
  });
  return { groups, problems };
}

function clean(word: string): string {
  return word.trim().toLowerCase().replace(/\s+/g, ' ');
}
