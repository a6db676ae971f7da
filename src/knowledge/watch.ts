import fs from 'node:fs';
import path from 'node:path';
import type { KnowledgeDirs } from './load';

const SETTLE_MS = 150;
const POLL_MS = 500;

/**
 * Calls `onChange` once editors stop saving (editors often write a file in several steps).
 * Two sources: `fs.watch` for a fast reaction, and a poll of every file's size and mtime because
 * recursive `fs.watch` on Linux (Node 20) silently stops reporting a file that was replaced by
 * rename (atomic saves, `sed -i`, `git checkout`) and dies with a deleted folder. The poll costs one
 * `stat` per file every half second, which is nothing for a few hundred markdown files.
 * Returns a function that stops watching.
 */
export function watchKnowledge(dirs: KnowledgeDirs, onChange: () => void): () => void {
  const roots = [dirs.knowledgeDir, dirs.intentsDir];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const schedule = () => {
    clearTimeout(timer);
    if (!closed) timer = setTimeout(onChange, SETTLE_MS);
  };
  const watchers: fs.FSWatcher[] = [];
  for (const dir of roots) {
    try {
      const watcher = fs.watch(dir, { recursive: true }, schedule);
      watcher.on('error', () => watcher.close()); // the poll below keeps watching
      watchers.push(watcher);
    } catch {
      // Folder missing at start: the poll notices when it appears.
    }
  }
  let last = snapshot(roots);
  const poll = setInterval(() => {
    const now = snapshot(roots);
    if (now !== last) {
      last = now;
      schedule();
    }
  }, POLL_MS);
  poll.unref();
  return () => {
    closed = true;
    clearTimeout(timer);
    clearInterval(poll);
    for (const watcher of watchers) watcher.close();
  };
}

/** One string naming every file under the roots with its size and mtime. */
function snapshot(roots: string[]): string {
  const parts: string[] = [];
  const walk = (dir: string) => {
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of names) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        try {
          const stat = fs.statSync(full);
          parts.push(`${full}:${stat.size}:${stat.mtimeMs}:${stat.ino}`);
        } catch {
          // Deleted between readdir and stat: the next poll sees it gone.
        }
      }
    }
  };
  for (const root of roots) walk(root);
  return parts.sort().join('\n');
}
