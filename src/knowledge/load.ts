import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseEntries } from './parse-entries';
import { problem } from './problems';
import { parseSynonyms } from './parse-synonyms';
import { loadShopValues, type ShopCountry } from './shop-values';
import { validateKnowledge } from './validate';
import { LANGUAGES, type Entry, type KnowledgeBase, type Lang, type Problem, type SynonymGroup } from './types';

export interface KnowledgeDirs {
  knowledgeDir: string;
  intentsDir: string;
  /** Whose demo facts fill `[[key]]` placeholders the shop has not set (default MX). */
  shopCountry?: ShopCountry;
}

const SYNONYMS_FILE = 'synonyms.txt';

/**
 * Reads knowledge/<lang>/*.md, intents/<lang>/*.md and knowledge/<lang>/synonyms.txt.
 * Never throws for bad content: every problem is reported and only the broken entries are left out.
 * `overrides` (full path → text) are read instead of the disk, new files included: an edit is
 * checked as the knowledge base it would make before it is written (src/knowledge/edit-files.ts).
 */
export function loadKnowledge(dirs: KnowledgeDirs, overrides: ReadonlyMap<string, string> = new Map()): KnowledgeBase {
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
      problems.push(problem({ file: dir, line: 0 }, 'error', 'folder_missing'));
      continue;
    }
    for (const lang of LANGUAGES) {
      const langDir = path.join(dir, lang);
      if (!isDirectory(langDir)) continue;
      for (const file of listMarkdown(langDir, overrides)) {
        const text = overrides.get(file) ?? readText(file, problems);
        if (text === null) continue;
        hash.update(`${file}\0${text}\0`);
        if (!isText(text)) {
          problems.push(problem({ file, line: firstBrokenLine(text) }, 'error', 'not_utf8'));
          continue;
        }
        const parsed = parseEntries(text, file, lang, kind);
        entries.push(...parsed.entries);
        problems.push(...parsed.problems);
        if (parsed.entries.length === 0 && parsed.problems.length === 0) {
          problems.push(problem({ file, line: 0 }, 'warning', 'no_entries'));
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

  const values = loadShopValues(dirs.knowledgeDir, dirs.shopCountry ?? 'MX', (file) => {
    const text = readText(file, problems);
    if (text !== null) hash.update(`${file}\0${text}\0`);
    return text;
  }, problems);
  const validated = validateKnowledge(entries);
  return {
    entries: validated.entries,
    synonyms,
    values,
    problems: [...problems, ...validated.problems],
    version: hash.digest('hex').slice(0, 12),
  };
}

function listMarkdown(dir: string, overrides: ReadonlyMap<string, string>): string[] {
  const files = fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => path.join(dir, name));
  const added = [...overrides.keys()].filter((file) => file.endsWith('.md') && file.startsWith(dir + path.sep) && !files.includes(file));
  return [...files, ...added].sort();
}

function readText(file: string, problems: Problem[]): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    problems.push(problem({ file, line: 0 }, 'error', 'unreadable', { code: (error as NodeJS.ErrnoException).code ?? 'error' }));
    return null;
  }
}

/** Decoding as UTF-8 turns invalid bytes into U+FFFD; text files have no NUL bytes. */
function isText(text: string): boolean {
  return !text.includes('\uFFFD') && !text.includes('\u0000');
}

/** The line of the first byte that is not UTF-8 text, so the editor knows where to look. */
function firstBrokenLine(text: string): number {
  const at = text.search(/[\uFFFD\u0000]/);
  return text.slice(0, at).split('\n').length;
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
