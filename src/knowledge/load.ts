import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseEntries } from './parse-entries';
import { parseSynonyms } from './parse-synonyms';
import { validateKnowledge } from './validate';
import { LANGUAGES, type Entry, type KnowledgeBase, type Lang, type Problem, type SynonymGroup } from './types';

export interface KnowledgeDirs {
  knowledgeDir: string;
  intentsDir: string;
}

const SYNONYMS_FILE = 'synonyms.txt';

/**
 * Reads knowledge/<lang>/*.md, intents/<lang>/*.md and knowledge/<lang>/synonyms.txt.
 * Never throws for bad content: every problem is reported and only the broken entries are left out.
 */
export function loadKnowledge(dirs: KnowledgeDirs): KnowledgeBase {
  const entries: Entry[] = [];
  const problems: Problem[] = [];
  const synonyms = Object.fromEntries(LANGUAGES.map((lang) => [lang, [] as SynonymGroup[]])) as Record<Lang, SynonymGroup[]>;
  const hash = crypto.createHash('sha256');

  const sources: Array<{ dir: string; kind: Entry['kind'] }> = [
    { dir: dirs.knowledgeDir, kind: 'faq' },
    { dir: dirs.intentsDir, kind: 'intent' },
  ];
  for (const { dir, kind } of sources) {
    if (!isDirectory(dir)) {
      problems.push({ file: dir, line: 0, severity: 'error', message: `folder not found: create it or point the configuration at the right folder` });
      continue;
    }
    for (const lang of LANGUAGES) {
      const langDir = path.join(dir, lang);
      if (!isDirectory(langDir)) continue;
      for (const file of listMarkdown(langDir)) {
        const text = readText(file, problems);
        hash.update(`${file}\0${text ?? '(unreadable)'}\0`); // an unreadable file is still a change
        if (text === null) continue;
        const parsed = parseEntries(text, file, lang, kind);
        entries.push(...parsed.entries);
        problems.push(...parsed.problems);
        if (parsed.entries.length === 0 && parsed.problems.length === 0 && text.trim() !== '') {
          problems.push({ file, line: 1, severity: 'warning', message: `no entries found: each entry starts with a "## question" heading (see docs/knowledge-format.md), or remove the file` });
        }
      }
      const synonymsFile = path.join(langDir, SYNONYMS_FILE);
      if (kind === 'faq' && fs.existsSync(synonymsFile)) {
        const text = readText(synonymsFile, problems);
        if (text === null) continue;
        hash.update(`${synonymsFile}\0${text}\0`);
        const parsed = parseSynonyms(text, synonymsFile);
        synonyms[lang].push(...parsed.groups);
        problems.push(...parsed.problems);
      }
    }
  }

  const validated = validateKnowledge(entries);
  return {
    entries: validated.entries,
    synonyms,
    problems: [...problems, ...validated.problems],
    version: hash.digest('hex').slice(0, 12),
  };
}

function listMarkdown(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => path.join(dir, name));
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a UTF-8 text file; a binary or wrongly encoded file is a problem, never silently skipped. */
function readText(file: string, problems: Problem[]): string | null {
  try {
    const bytes = fs.readFileSync(file);
    let text: string;
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      text = '\0';
    }
    if (text.includes('\0')) {
      problems.push({ file, line: 1, severity: 'error', message: `not a text file (binary, or not UTF-8): save it as UTF-8 markdown or remove it` });
      return null;
    }
    return text;
  } catch (error) {
    problems.push({ file, line: 0, severity: 'error', message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'}): check that it exists and is readable` });
    return null;
  }
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
