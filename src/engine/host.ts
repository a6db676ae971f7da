import type { Config } from '../config';
import { loadKnowledge, watchKnowledge, type KnowledgeBase, type Problem } from '../knowledge';
import { createEngine, type Engine } from './engine';

/** What an editor needs to see: what is live, and the last change that was refused. */
export interface KnowledgeStatus {
  version: string;
  loadedAt: string;
  entries: number;
  problems: Problem[];
  /** The last reload refused because of errors; cleared by the next good reload. */
  rejected?: { at: string; version: string; problems: Problem[] };
}

export interface EngineHost {
  current(): Engine;
  /** Reloads the files now (the watcher also does this on every save). */
  reload(): Engine;
  status(): KnowledgeStatus;
  close(): void;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.severity}: ${problem.message}`;
}

/**
 * Loads knowledge and intents, builds the engine, and rebuilds it whenever an editor saves a file.
 * A reload whose files have problems of severity error does not go live: the last good knowledge
 * base keeps answering (a deleted `id:` must not turn one answer into another), and the refusal is
 * kept in `status()` for the editor. At start-up there is nothing to fall back to, so the first load
 * serves whatever is valid and logs the rest.
 */
export function startEngineHost(config: Config, log: (line: string) => void = () => {}): EngineHost {
  const dirs = { knowledgeDir: config.knowledgeDir, intentsDir: config.intentsDir };
  const build = (knowledge: KnowledgeBase): Engine =>
    createEngine(knowledge, { matching: config.matching, shopName: config.shopName, defaultLanguage: config.defaultLanguage });

  const first = loadKnowledge(dirs);
  for (const problem of first.problems) log(formatProblem(problem));
  let engine = build(first);
  let status: KnowledgeStatus = { version: first.version, loadedAt: new Date().toISOString(), entries: first.entries.length, problems: first.problems };
  log(`knowledge ${first.version}: ${first.entries.length} entries loaded`);

  const reload = () => {
    try {
      const started = Date.now();
      const knowledge = loadKnowledge(dirs);
      if (knowledge.version === status.version && !status.rejected) return engine;
      for (const problem of knowledge.problems) log(formatProblem(problem));
      const errors = knowledge.problems.filter((problem) => problem.severity === 'error');
      if (errors.length > 0) {
        status = { ...status, rejected: { at: new Date().toISOString(), version: knowledge.version, problems: errors } };
        log(`knowledge ${knowledge.version} not loaded (${errors.length} error${errors.length === 1 ? '' : 's'}), still serving ${engine.version}`);
        return engine;
      }
      engine = build(knowledge);
      status = { version: knowledge.version, loadedAt: new Date().toISOString(), entries: knowledge.entries.length, problems: knowledge.problems };
      log(`knowledge ${knowledge.version}: ${knowledge.entries.length} entries loaded in ${Date.now() - started} ms`);
    } catch (error) {
      // Keep answering with the previous engine: a half-saved file must not take the bot down.
      log(`knowledge reload failed, still serving ${engine.version}: ${(error as Error).message}`);
    }
    return engine;
  };
  const stopWatching = config.watchKnowledge ? watchKnowledge(dirs, reload) : () => {};
  return { current: () => engine, reload, status: () => status, close: stopWatching };
}
