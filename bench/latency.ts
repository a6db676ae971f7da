/**
 * Speed of the answer engine: index build time, per-message p50/p99 (language detection, matching and
 * the decision, as `engine.respond` does them) and memory, on the default content of knowledge/ and
 * intents/ and on a generated catalogue of 10,000 FAQs. Each runs in its own process so that its
 * memory figure is its own.
 *
 *   npm run bench:latency
 *
 * The last line of output is one JSON object:
 * {"default": {"faqs", "buildMs", "p50Ms", "p99Ms", "rssMb"}, "large": {the same keys}}
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseConfig } from '../src/config';
import { createEngine, engineOptions } from '../src/engine';
import { loadKnowledge, type Entry, type KnowledgeBase } from '../src/knowledge';
import { generateCatalogue, generatedQueries } from './generate';
import { parseArgs, percentile, round, rssMb } from './stats';

const USAGE = 'usage: npm run bench:latency';
const ROOT = path.resolve(__dirname, '..', '..');
const MESSAGES = 3000;
const WARM_UP = 300;

interface Result {
  faqs: number;
  buildMs: number;
  p50Ms: number;
  p99Ms: number;
  rssMb: number;
}

/** Shopper-like variations of the knowledge base's own phrasings, plus questions it cannot answer. */
function defaultQueries(entries: readonly Entry[], count: number): string[] {
  const outOfScope = ['va a llover mañana?', 'cuentame un chiste', 'who won the game last night', 'xqzv 123', 'ok', 'gracias!!', 'hola'];
  const phrasings = entries.flatMap((entry) => [entry.question, ...entry.phrasings]);
  const queries: string[] = [];
  for (let i = 0; queries.length < count; i++) {
    if (i % 10 === 0) {
      queries.push(outOfScope[(i / 10) % outOfScope.length]);
      continue;
    }
    const words = phrasings[(i * 7919) % phrasings.length].split(' ');
    if (i % 3 === 0) queries.push(words.slice(0, Math.max(1, words.length - 1)).join(' '));
    else if (i % 3 === 1) queries.push(words.map((w, k) => (k === 0 && w.length > 4 ? w.slice(0, 2) + w[3] + w[2] + w.slice(4) : w)).join(' '));
    else queries.push(`${words.join(' ')} por favor`);
  }
  return queries;
}

function measure(knowledge: KnowledgeBase, queries: readonly string[]): Result {
  const config = parseConfig();
  const started = performance.now();
  const engine = createEngine(knowledge, engineOptions(config));
  const buildMs = performance.now() - started;
  for (const query of queries.slice(0, WARM_UP)) engine.respond(query);
  const latencies: number[] = [];
  for (const query of queries) {
    const start = performance.now();
    engine.respond(query);
    latencies.push(performance.now() - start);
  }
  latencies.sort((a, b) => a - b);
  return {
    faqs: knowledge.entries.filter((entry) => entry.kind === 'faq').length,
    buildMs: round(buildMs, 0),
    p50Ms: round(percentile(latencies, 0.5), 4),
    p99Ms: round(percentile(latencies, 0.99), 4),
    rssMb: rssMb(),
  };
}

function runCase(name: string): Result {
  if (name === 'default') {
    const knowledge = loadKnowledge({ knowledgeDir: path.join(ROOT, 'knowledge'), intentsDir: path.join(ROOT, 'intents') });
    const errors = knowledge.problems.filter((problem) => problem.severity === 'error');
    if (errors.length > 0) throw new Error(`the default content has ${errors.length} problems; run "atento kb check"`);
    return measure(knowledge, defaultQueries(knowledge.entries, MESSAGES));
  }
  const entries = generateCatalogue();
  const knowledge: KnowledgeBase = { entries, synonyms: { es: [], en: [] }, values: { es: {}, en: {} }, problems: [], version: 'generated' };
  return measure(knowledge, generatedQueries(entries, MESSAGES));
}

function main(): void {
  const args = parseArgs(process.argv.slice(2), { case: 'value' }, USAGE);
  const only = args.get('case');
  if (only !== undefined) {
    if (only !== 'default' && only !== 'large') throw new Error('--case must be "default" or "large"');
    console.log(JSON.stringify(runCase(only)));
    return;
  }
  const results: Record<string, Result> = {};
  for (const name of ['default', 'large']) {
    const output = execFileSync(process.execPath, [__filename, '--case', name], { encoding: 'utf8' }).trim().split('\n');
    const result = JSON.parse(output[output.length - 1]) as Result;
    results[name] = result;
    console.log(
      `${name === 'default' ? 'default content' : 'generated catalogue'}: ${result.faqs} FAQs, build ${result.buildMs} ms, ` +
        `per message p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, RSS ${result.rssMb} MB`,
    );
  }
  console.log(JSON.stringify(results));
}

try {
  main();
} catch (error) {
  console.error(`bench:latency: ${(error as Error).message}`);
  process.exitCode = 1;
}
