import fs from 'node:fs';
import type { KnowledgeDirs } from './load';

const SETTLE_MS = 150;

/**
 * Calls `onChange` once editors stop saving (editors often write a file in several steps).
 * Returns a function that stops watching.
 */
export function watchKnowledge(dirs: KnowledgeDirs, onChange: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(onChange, SETTLE_MS);
  };
  const watchers = [dirs.knowledgeDir, dirs.intentsDir]
    .filter((dir) => fs.existsSync(dir))
    .map((dir) => fs.watch(dir, { recursive: true }, schedule));
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}
