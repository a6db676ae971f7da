import fs from 'node:fs';
import path from 'node:path';
import type { KnowledgeDirs } from './load';
import { BACKUP_DIR } from './edit-files';

const POLL_MS = 500;

/**
 * Calls `onChange` when any file under the knowledge or intents folder is added, changed, renamed or
 * removed. It compares a listing of names, sizes and modification times twice a second instead of
 * using fs.watch: on Linux (Node 20) a recursive fs.watch stops reporting a file that an editor, `sed -i`
 * or `git checkout` replaced by renaming, and misses folders created later. A knowledge base is tens of
 * files, so a listing takes well under a millisecond. Returns a function that stops watching.
 */
export function watchKnowledge(dirs: KnowledgeDirs, onChange: () => void): () => void {
  const listing = () => [dirs.knowledgeDir, dirs.intentsDir].map(signature).join('\n');
  // Taken now, right after the caller loaded the files, so an edit made a moment later is not missed.
  let last = listing();
  const timer = setInterval(() => {
    const now = listing();
    if (now === last) return;
    last = now;
    onChange();
  }, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** "relative path, size, mtime" for every file under `dir`, sorted; a marker if the folder is missing. */
function signature(dir: string): string {
  let names: string[];
  try {
    // Backups of edits made from the knowledge page are not knowledge: writing one changes nothing live.
    names = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => !name.startsWith(BACKUP_DIR)).sort();
  } catch {
    return `${dir}: missing`;
  }
  return names
    .map((name) => {
      try {
        const stat = fs.statSync(path.join(dir, name));
        return stat.isFile() ? `${name} ${stat.size} ${stat.mtimeMs}` : '';
      } catch {
        return ''; // removed between the listing and the stat: the next tick sees it gone
      }
    })
    .join('\n');
}
