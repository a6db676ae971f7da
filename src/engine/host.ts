import type { Config } from '../config';
import { loadKnowledge, watchKnowledge, type Problem } from '../knowledge';
import { createEngine, type Engine } from './engine';

export interface EngineHost {
  current(): Engine;
  /** Reloads the files now (the watcher also does this on every save). */
  reload(): Engine;
  close(): void;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.severity}: ${problem.message}`;
}

/** Loads knowledge and intents, builds the engine, and rebuilds it whenever an editor saves a file. */
export function startEngineHost(config: Config, log: (line: string) => void = () => {}): EngineHost {
  const dirs = { knowledgeDir: config.knowledgeDir, intentsDir: config.intentsDir, shopCountry: config.shopCountry };
  const build = (): Engine => {
    const started = Date.now();
    const knowledge = loadKnowledge(dirs);
    const engine = createEngine(knowledge, { matching: config.matching, shopName: config.shopName, defaultLanguage: config.defaultLanguage });
    for (const problem of knowledge.problems) log(formatProblem(problem));
    log(`knowledge ${knowledge.version}: ${knowledge.entries.length} entries loaded in ${Date.now() - started} ms`);
    return engine;
  };

  let engine = build();
  const reload = () => {
    try {
      engine = build();
    } catch (error) {
      // Keep answering with the previous engine: a half-saved file must not take the bot down.
      log(`knowledge reload failed, still serving ${engine.version}: ${(error as Error).message}`);
    }
    return engine;
  };
  const stopWatching = config.watchKnowledge ? watchKnowledge(dirs, reload) : () => {};
  return { current: () => engine, reload, close: stopWatching };
}
