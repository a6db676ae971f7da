import fs from 'node:fs';
import path from 'node:path';
import { loadKnowledge, type KnowledgeDirs } from './load';
import { ID_PATTERN, parseEntries } from './parse-entries';
import { editRefused, problemMessage } from './problems';
import type { Lang, Problem } from './types';
import { addPhrasings, appendFaq, hasBrokenCharacter, type NewFaq } from './write-entries';

/**
 * Writes edits made in the browser to the knowledge files: checked as the whole knowledge base they
 * would make (the validation of `atento kb check`) before anything is written and refused for any error
 * they would add, the previous version kept in knowledge/.backups/, each file replaced atomically (temp
 * file + rename) so the watcher and a crash never see half a file. Only .md files under
 * knowledge/<lang>/ can be written.
 */

/** Under the knowledge folder, outside every language folder: the loader never reads it, the watcher skips it. */
export const BACKUP_DIR = '.backups';
/** Backups kept per file: enough to undo a bad week of edits, without growing for ever. */
export const BACKUPS_KEPT = 20;

export class KnowledgeRejectedError extends Error {
  constructor(readonly problems: Problem[]) {
    const listed = problems.slice(0, 3).map((p) => `${p.file}:${p.line}: ${p.message}`).join('; ');
    super(`the edit would leave ${problems.length} error${problems.length === 1 ? '' : 's'} in the knowledge base, nothing was written: ${listed}${problems.length > 3 ? '; …' : ''}`);
    this.name = 'KnowledgeRejectedError';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Errors of `after` that `before` did not have, the same file and message (an edit moves the lines below it). */
function errorsAdded(before: Problem[], after: Problem[]): Problem[] {
  const key = (problem: Problem) => `${problem.file}\u0000${problem.message}`;
  const known = new Map<string, number>();
  for (const problem of before) if (problem.severity === 'error') known.set(key(problem), (known.get(key(problem)) ?? 0) + 1);
  return after.filter((problem) => {
    if (problem.severity !== 'error') return false;
    const left = known.get(key(problem)) ?? 0;
    if (left > 0) known.set(key(problem), left - 1);
    return left === 0;
  });
}

export interface WrittenFile {
  /** Relative to the knowledge folder, e.g. "es/envios.md". */
  file: string;
  /** Relative to the knowledge folder, e.g. ".backups/es/envios.2026-12-04T05-30-00-000Z.md"; null for a new file. */
  backup: string | null;
}

export interface EditResult {
  files: WrittenFile[];
  /** Warnings of the knowledge base as written (errors refuse the edit). */
  warnings: Problem[];
}

export interface PhrasingsEdit {
  id: string;
  lang: Lang;
  phrasings: string[];
}

export interface FaqEdit {
  id: string;
  /** Per language: the FAQ and the file to append it to ("es/envios.md"; created when missing). */
  languages: Partial<Record<Lang, Omit<NewFaq, 'id'> & { file: string }>>;
}

export function knowledgeEditor(dirs: KnowledgeDirs, now: () => Date = () => new Date()) {
  const root = path.resolve(dirs.knowledgeDir);

  /** A path the editor may write: an .md file inside knowledge/<lang>/, after following symlinks; no hidden names. */
  function resolveFile(relative: string, lang: Lang): string {
    const langDir = path.join(root, lang);
    const full = path.resolve(root, relative);
    const parts = path.relative(langDir, full).split(path.sep);
    // A control character (NUL above all) is no file name an editor means, and fs would throw mid-edit.
    if (/[\u0000-\u001f\u007f]/.test(relative) || hasBrokenCharacter(relative) || !relative.startsWith(`${lang}/`) || !full.startsWith(langDir + path.sep) || !full.endsWith('.md') || parts.some((part) => part.startsWith('.'))) {
      throw editRefused('edit_not_a_file', { file: relative, lang });
    }
    // A symlinked folder or file could lead outside the knowledge folder.
    let existing = full;
    while (!fs.existsSync(existing)) existing = path.dirname(existing);
    const realLangDir = fs.existsSync(langDir) ? fs.realpathSync(langDir) : path.join(fs.realpathSync(root), lang);
    const real = fs.realpathSync(existing);
    if (real !== realLangDir && !real.startsWith(realLangDir + path.sep)) throw editRefused('edit_outside', { file: relative });
    return full;
  }

  /** The loader's name for a file (it joins the configured folder, which may be relative). */
  const loaderName = (full: string) => path.join(dirs.knowledgeDir, path.relative(root, full));
  /** A file as the editor names it ("es/envios.md"), from an absolute path or the loader's (relative to the working folder). */
  const relativeName = (file: string) => path.relative(root, path.resolve(file)).split(path.sep).join('/');
  // The page names files as the editor picks them ("es/tienda.md"), never by the server's own paths.
  const folderPrefix = new RegExp(`${escapeRegExp(path.join(dirs.knowledgeDir, path.sep))}|${escapeRegExp(root + path.sep)}`, 'g');
  const asEditorSeesIt = (problem: Problem): Problem => {
    const values = Object.fromEntries(Object.entries(problem.values).map(([name, value]) => [name, typeof value === 'string' ? value.replace(folderPrefix, '') : value]));
    return { ...problem, file: relativeName(problem.file), values, message: problemMessage({ code: problem.code, values }, 'en') };
  };
  const readIfPresent = (full: string) => (fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : null);

  function commit(changes: Map<string, { before: string | null; after: string }>): EditResult {
    const overrides = new Map([...changes].map(([full, change]) => [loaderName(full), change.after]));
    const knowledge = loadKnowledge(dirs, overrides);
    // Only what this edit breaks refuses it: a file broken by hand elsewhere must not block every edit
    // made in the page (the edit is then written, and goes live once that file is fixed).
    const introduced = errorsAdded(loadKnowledge(dirs).problems, knowledge.problems);
    if (introduced.length > 0) throw new KnowledgeRejectedError(introduced.map(asEditorSeesIt));
    const stamp = now().toISOString().replace(/[:.]/g, '-');
    const files: WrittenFile[] = [];
    for (const [full, { before }] of changes) {
      files.push({ file: relativeName(full), backup: before === null ? null : relativeName(keepBackup(full, before, stamp)) });
    }
    // Every file is on disk as a temp file before any is renamed: a failing write (disk full) leaves
    // none of the FAQ's languages half-done.
    const written = [...changes].map(([full, { after }]) => ({ full, temporary: writeTemporary(full, after) }));
    for (const { full, temporary } of written) fs.renameSync(temporary, full);
    return { files, warnings: knowledge.problems.filter((p) => p.severity === 'warning').map(asEditorSeesIt) };
  }

  /** A copy of the file's previous text; a second edit in the same millisecond gets its own name. */
  function keepBackup(full: string, before: string, stamp: string): string {
    const stem = path.join(root, BACKUP_DIR, relativeName(full)).replace(/\.md$/, '');
    fs.mkdirSync(path.dirname(stem), { recursive: true });
    for (let n = 0; ; n++) {
      const backupFile = `${stem}.${stamp}${n === 0 ? '' : `-${n}`}.md`;
      try {
        fs.writeFileSync(backupFile, before, { flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw error;
      }
      pruneBackups(stem);
      return backupFile;
    }
  }

  /** Deletes the oldest backups of one file (`<dir>/<name>` without `.md`) beyond BACKUPS_KEPT. */
  function pruneBackups(stem: string): void {
    const name = path.basename(stem).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`^${name}\\.(\\d{4}-\\d\\d-\\d\\dT[\\d-]+Z)(?:-(\\d+))?\\.md$`);
    const backups = fs
      .readdirSync(path.dirname(stem))
      .map((file) => ({ file, match: pattern.exec(file) }))
      .filter((backup): backup is { file: string; match: RegExpExecArray } => backup.match !== null)
      .sort((a, b) => a.match[1]!.localeCompare(b.match[1]!) || Number(a.match[2] ?? 0) - Number(b.match[2] ?? 0));
    for (const { file } of backups.slice(0, -BACKUPS_KEPT)) fs.rmSync(path.join(path.dirname(stem), file), { force: true });
  }

  return {
    root,
    relativeName,
    asEditorSeesIt,

    /** Adds shoppers' wordings to an existing FAQ, found by id in the live knowledge base's file. */
    addPhrasings(edit: PhrasingsEdit, sourceFile: string): EditResult & { added: string[] } {
      const full = resolveFile(relativeName(sourceFile), edit.lang);
      const before = readIfPresent(full);
      if (before === null) throw editRefused('edit_file_gone', { file: relativeName(full) });
      const { text, added } = addPhrasings(before, edit.id, edit.phrasings);
      if (added.length === 0) throw editRefused('edit_nothing_new', { id: edit.id });
      const result = commit(new Map([[full, { before, after: text }]]));
      return { ...result, added };
    },

    /** A new FAQ in one language or both (the same id links the translations). */
    createFaq(edit: FaqEdit): EditResult {
      if (!ID_PATTERN.test(edit.id)) throw editRefused('edit_bad_id', { id: edit.id });
      const changes = new Map<string, { before: string | null; after: string }>();
      for (const [lang, faq] of Object.entries(edit.languages) as Array<[Lang, FaqEdit['languages'][Lang] & object]>) {
        const full = resolveFile(faq.file, lang);
        const before = readIfPresent(full);
        const after = appendFaq(before ?? '', { id: edit.id, question: faq.question, phrasings: faq.phrasings, answer: faq.answer }, lang);
        // The parser must read back exactly what the editor typed (the writer's own check).
        const written = parseEntries(after, full, lang, 'faq').entries.filter((e) => e.id === edit.id).at(-1);
        if (!written || written.question !== faq.question.trim() || written.answer !== faq.answer.trim().split(/\r?\n/).map((l) => l.trimEnd()).join('\n')) {
          throw editRefused('edit_not_read_back', { file: faq.file });
        }
        changes.set(full, { before, after });
      }
      if (changes.size === 0) throw editRefused('edit_no_language');
      return commit(changes);
    },
  };
}

export type KnowledgeEditor = ReturnType<typeof knowledgeEditor>;

/** Temp file in the file's folder, flushed; renamed over the old one, readers see the old or the new file. */
function writeTemporary(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(temporary, 'w');
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return temporary;
}
