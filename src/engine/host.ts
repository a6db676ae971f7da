import type { Config } from '../config';
import { describeOpeningHours } from '../handoff/opening-hours';
import { LANGUAGES, loadKnowledge, watchKnowledge, type KnowledgeBase, type Problem } from '../knowledge';
import { createEngine, type Engine, type EngineOptions } from './engine';

/** What is live, and the last change that was refused (shown to editors, logged with file:line). */
export interface KnowledgeStatus {
  version: string;
  loadedAt: string;
  entries: number;
  problems: Problem[];
  rejected: { at: string; version: string; problems: Problem[] } | null;
}

export interface EngineHost {
  current(): Engine;
  /** Reloads the files now (the watcher also does this on every save). */
  reload(): Engine;
  status(): KnowledgeStatus;
  close(): void;
}

/** The engine's settings from the config (the event loop's engine and the engine thread's alike). */
export function engineOptions(config: Config): EngineOptions {
  const { businessHours, timeZone } = config.handoff;
  const openingHours = Object.fromEntries(LANGUAGES.map((lang) => [lang, describeOpeningHours(businessHours, timeZone, lang)]));
  return { matching: config.matching, shopName: config.shopName, defaultLanguage: config.defaultLanguage, openingHours };
}

/** Where the host's lines go: errors and warnings at their level, so an operator logging at `warn` sees a refused save. */
export type KnowledgeLog = (level: 'info' | 'warn' | 'error', line: string) => void;

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.severity}: ${problem.message}`;
}

/**
 * Loads knowledge and intents, builds the engine, and rebuilds it whenever an editor saves a file. A
 * change with errors never goes live: the last good knowledge base keeps answering until it is fixed.
 * At start-up there is no last good one, so whatever loads serves (broken entries left out).
 */
export function startEngineHost(config: Config, log: KnowledgeLog = () => {}): EngineHost {
  const dirs = { knowledgeDir: config.knowledgeDir, intentsDir: config.intentsDir, shopCountry: config.shopCountry };
  // Warnings already in the log: a save that fixes one file should not repeat every other file's warnings.
  let warningsLogged = new Set<string>();
  const report = (knowledge: KnowledgeBase) => {
    const warnings = new Set<string>();
    for (const problem of knowledge.problems) {
      const line = formatProblem(problem);
      if (problem.severity === 'error') log('error', line);
      else if (!warningsLogged.has(line)) log('warn', line);
      if (problem.severity === 'warning') warnings.add(line);
    }
    warningsLogged = warnings;
  };
  const goLive = (knowledge: KnowledgeBase, started: number): Engine => {
    const built = createEngine(knowledge, engineOptions(config));
    const warnings = knowledge.problems.filter((problem) => problem.severity === 'warning').length;
    const warned = warnings === 0 ? '' : ` (${warnings} ${warnings === 1 ? 'warning' : 'warnings'}, logged when first seen)`;
    log('info', `knowledge ${built.version}: ${knowledge.entries.length} entries loaded in ${Date.now() - started} ms${warned}`);
    status = { version: built.version, loadedAt: new Date().toISOString(), entries: knowledge.entries.length, problems: knowledge.problems, rejected: null };
    return built;
  };

  let status: KnowledgeStatus;
  const first = loadKnowledge(dirs);
  report(first);
  let engine = goLive(first, Date.now());

  const reload = () => {
    const started = Date.now();
    try {
      const knowledge = loadKnowledge(dirs);
      // Saved back to what is live (an editor undoing a broken change): nothing to rebuild, nothing refused.
      if (knowledge.version === engine.version) {
        if (status.rejected) log('info', `knowledge saved back to ${engine.version}, which is live: nothing is refused any more`);
        status = { ...status, rejected: null };
        return engine;
      }
      // The same refused files again (the page's save and the watcher both reload): said once is enough.
      if (knowledge.version === status.rejected?.version) return engine;
      report(knowledge);
      const errors = knowledge.problems.filter((problem) => problem.severity === 'error').length;
      if (errors === 0) {
        engine = goLive(knowledge, started);
        return engine;
      }
      log(
        'error',
        `knowledge ${knowledge.version} NOT loaded (${errors} ${errors === 1 ? 'error' : 'errors'} above); still serving ${engine.version}: fix the files and save again (until then, no saved change in any file goes live)`,
      );
      status = { ...status, rejected: { at: new Date().toISOString(), version: knowledge.version, problems: knowledge.problems } };
    } catch (error) {
      // Keep answering with the previous engine: a half-saved file must not take the bot down.
      log('error', `knowledge reload failed, still serving ${engine.version}: ${(error as Error).message}`);
    }
    return engine;
  };
  const stopWatching = config.watchKnowledge ? watchKnowledge(dirs, reload) : () => {};
  return { current: () => engine, reload, status: () => status, close: stopWatching };
}
