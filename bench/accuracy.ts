/**
 * Intent-matching accuracy on a labelled set in the `[text, label]` JSON format (label "oos" = out of
 * scope), following Larson et al. 2019: build from --train, pick the threshold on --val if given (else
 * use the default answer threshold from src/config.ts), and count an in-scope prediction below the
 * threshold as wrong. With --compare, NLP.js, Fuse.js alone and natural's BayesClassifier run through
 * the same protocol, each in its own process so that memory figures are its own.
 *
 *   npm run bench:accuracy -- --train FILE --eval FILE [--val FILE] [--lang es|en] [--compare] [--sample N] [--answer X] [--margin X]
 *   npm run bench:accuracy -- --train FILE --folds K [--lang es|en] [--oos FILE[,FILE…]] [--same FILE] [--answer X] [--margin X]
 *
 * The second form cross-validates a small knowledge base with no out-of-scope examples (HINT3) at the
 * default threshold, to check that confidence means the same there as on a large one; with
 * --leave-out, each fold's labels are left out of the build instead and their questions asked (the
 * out-of-scope questions hardest to tell apart, from the knowledge base's own phrasings). With
 * --labels N [--per-label M], the first form builds a small knowledge base from N of the training set's
 * labels (evenly spaced in sorted order, M examples each) and counts questions about the other labels
 * as out of scope: the same check, on a small knowledge base that does get off-topic questions.
 *
 * The last line of output is one JSON object (see docs/performance.md).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseConfig, type MatchingConfig } from '../src/config';
import { loadKnowledge } from '../src/knowledge';
import { isLang, type Lang } from '../src/knowledge/types';
import { detectLanguage } from '../src/nlp';
import { crossValidate, leaveLabelsOut, type CrossValidation } from './crossvalidate';
import { argmaxAccuracy, classifyAll, dialogueMetrics, latencySummary, metricsAt, OUT_OF_SCOPE, sample, tuneThreshold, type DialogueMetrics, type Metrics } from './evaluate';
import { METHODS, type Pair } from './methods';
import { parseArgs, round, rssMb } from './stats';

const USAGE =
  'usage: npm run bench:accuracy -- --train FILE --eval FILE [--val FILE] [--lang es|en] [--compare] [--sample N] [--answer X] [--margin X]\n' +
  '       npm run bench:accuracy -- --train FILE --folds K [--lang es|en] [--oos FILE[,FILE…]] [--same FILE] [--answer X] [--margin X]\n' +
  '  --leave-out  with --folds: leave each fold\'s labels out of the build instead, and ask their questions\n' +
  '  --answer X   answer at confidence X instead of the default threshold (with --folds: clarify unchanged)\n' +
  '  --content es|en  with --folds instead of --train: the shop\'s own knowledge base (knowledge/, intents/)\n' +
  '  --margin X   the dialogue answers only when no other FAQ is within X of the best (default clarifyMargin)\n' +
  '  --same FILE  TSV of "set:LABEL<TAB>set:LABEL" pairs naming the same request in two sets (set = file name\n' +
  '               without _train.json): out-of-scope questions answered with such an entry are counted apart\n' +
  '  --labels N [--per-label M]  keep N labels (M examples each); questions about the others are out of scope\n' +
  '  --sample N  queries run through slow methods (Fuse.js alone), evenly spaced; default 300';
const WARM_UP_QUERIES = 200;

interface MethodResult {
  method: string;
  /** Queries the figures are based on (fewer than the set for slow methods). */
  evalQueries: number;
  buildMs: number;
  /** CPU time of the build (this process): on a machine shared with other work it moves less than the wall time. */
  buildCpuMs: number;
  argmaxAccuracy: number;
  /** At the threshold picked on --val, or at the default threshold when there is no --val. */
  chosen: Metrics;
  /** Atento only: at the default answer threshold of src/config.ts. */
  atDefault: Metrics | null;
  /** Atento only: what the dialogue's rules do with the questions, at the same thresholds. */
  dialogue: DialogueMetrics | null;
  p50Ms: number;
  p99Ms: number;
  rssMb: number;
}

function readPairs(file: string, option: string): Pair[] {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${option} ${file}: cannot read it as JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(data) || !data.every((row) => Array.isArray(row) && typeof row[0] === 'string' && typeof row[1] === 'string')) {
    throw new Error(`${option} ${file}: expected a JSON array of [text, label] pairs`);
  }
  return data as Pair[];
}

function guessLanguage(pairs: readonly Pair[]): Lang {
  const votes = { es: 0, en: 0 };
  for (const [text] of pairs.slice(0, 500)) {
    const { lang } = detectLanguage(text);
    if (lang) votes[lang]++;
  }
  return votes.es > votes.en ? 'es' : 'en';
}

/** The training examples to build from, and how to relabel questions about labels left out. */
function labelSubset(pairs: readonly Pair[], args: Map<string, string>): { train: Pair[]; relabel: (pairs: Pair[]) => Pair[] } {
  const inScope = pairs.filter(([, label]) => label !== OUT_OF_SCOPE);
  if (!args.has('labels')) return { train: inScope, relabel: (p) => p };
  const count = Number(args.get('labels'));
  const perLabel = Number(args.get('per-label') ?? Infinity);
  const all = [...new Set(inScope.map(([, label]) => label))].sort();
  if (!Number.isInteger(count) || count < 2 || count > all.length) throw new Error(`--labels must be a whole number from 2 to ${all.length}`);
  const kept = new Set(sample(all.map((label) => [label, label] as Pair), count).map(([label]) => label));
  const seen = new Map<string, number>();
  const train = inScope.filter(([, label]) => {
    if (!kept.has(label)) return false;
    seen.set(label, (seen.get(label) ?? 0) + 1);
    return seen.get(label)! <= perLabel;
  });
  return { train, relabel: (p) => p.map(([text, label]) => [text, kept.has(label) ? label : OUT_OF_SCOPE]) };
}

/** "…/hint3/curekart_train.json" → "curekart". */
function setName(file: string): string {
  return path.basename(file).replace(/(_train)?\.json$/, '');
}

/** `--same FILE`: whether an out-of-scope question from `source` answered with `entryId` of set `set` got the same request's entry. */
function readSameRequests(file: string, set: string): (entryId: string, source: string) => boolean {
  const pairs = new Set<string>();
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
    if (!line.trim() || line.startsWith('#')) return;
    const [a, b] = line.split('\t').map((field) => field.trim());
    if (!a?.includes(':') || !b?.includes(':')) throw new Error(`--same ${file}:${index + 1}: expected "set:LABEL<TAB>set:LABEL"`);
    pairs.add(`${a}|${b}`).add(`${b}|${a}`);
  });
  return (entryId, source) => pairs.has(`${set}:${entryId}|${source}`);
}

async function runMethod(name: string, args: Map<string, string>): Promise<MethodResult> {
  const method = METHODS[name];
  const subset = labelSubset(readPairs(args.get('train')!, '--train'), args);
  const train = subset.train;
  const limit = Number(args.get('sample') ?? 300);
  const pick = (pairs: Pair[]) => (method.slow ? sample(pairs, limit) : pairs);
  const evalSet = pick(subset.relabel(readPairs(args.get('eval')!, '--eval')));
  const valSet = args.has('val') ? pick(subset.relabel(readPairs(args.get('val')!, '--val'))) : null;
  const lang = (args.get('lang') as Lang | undefined) ?? guessLanguage(train);

  const started = performance.now();
  const startedCpu = process.cpuUsage();
  const classifier = await method.build(train, lang);
  const buildMs = performance.now() - started;
  const cpu = process.cpuUsage(startedCpu);
  // Let the JIT compile the query path before anything is timed.
  await classifyAll(classifier, sample(train, method.slow ? 5 : WARM_UP_QUERIES));

  const evaluated = await classifyAll(classifier, evalSet);
  const matching = matchingFrom(args);
  const defaultThreshold = matching.answerThreshold;
  const threshold = valSet ? tuneThreshold((await classifyAll(classifier, valSet)).scored) : name === 'atento' ? defaultThreshold : 0;
  return {
    method: method.name,
    evalQueries: evalSet.length,
    buildMs: round(buildMs, 0),
    buildCpuMs: round((cpu.user + cpu.system) / 1000, 0),
    argmaxAccuracy: argmaxAccuracy(evaluated.scored),
    chosen: metricsAt(evaluated.scored, threshold),
    atDefault: name === 'atento' ? metricsAt(evaluated.scored, defaultThreshold) : null,
    dialogue: name === 'atento' ? dialogueMetrics(classifier, evalSet, matching) : null,
    ...latencySummary(evaluated.latenciesMs),
    rssMb: rssMb(),
  };
}

/**
 * `--content es|en --folds K`: the shop's own knowledge base (the configuration's knowledge and intents
 * directories, with its synonyms) cross-validated over its phrasings, to compare its confidence bands
 * with a data set's: what a calibration fitted on a knowledge base's own phrasings would see.
 */
async function crossValidateContent(args: Map<string, string>, folds: number): Promise<void> {
  const lang = args.get('content');
  if (!isLang(lang)) throw new Error(`--content must be "es" or "en"\n${USAGE}`);
  const knowledge = loadKnowledge(parseConfig());
  const pairs = knowledge.entries.filter((entry) => entry.lang === lang).flatMap((entry) => [entry.question, ...entry.phrasings].map((text): Pair => [text, entry.id]));
  const result = await crossValidate(pairs, lang, folds, { matching: matchingFrom(args), synonyms: knowledge.synonyms[lang] });
  console.log(`${folds}-fold cross-validation of the shop's ${lang} content (${pairs.length} phrasings) at answer threshold ${result.threshold}:`);
  printCrossValidation(result);
}

function printCrossValidation(result: CrossValidation): void {
  console.log(`  argmax accuracy ${percent(result.argmaxAccuracy)}, answered right ${percent(result.inScopeAccuracy)}`);
  console.log(`  right answers kept ${percent(result.rightAnswered)}, wrong answers kept ${percent(result.wrongAnswered)}`);
  console.log('  confidence band: questions, share ranked right');
  for (const band of result.reliability) console.log(`    ${band.from.toFixed(1)}–${band.to.toFixed(1)}: ${band.count}, ${percent(band.right)}`);
  const d = result.dialogue;
  console.log(`  dialogue decision: answered right ${percent(d.answeredRight)}, answered wrong ${percent(d.answeredWrong)}, ` +
    `choices including the right one ${percent(d.clarifiedWithRight)}, choices without it ${percent(d.clarifiedWithoutRight)}, fallback ${percent(d.fallback)}`);
  const o = result.outOfScope;
  if (o) {
    console.log(`  out of scope (${o.questions} asked over the folds): answered ${percent(o.answered)}, offered choices ${percent(o.clarified)}`);
    console.log(`  confident wrong answers ${percent(o.confidentWrong)} of all questions; in scope answered right or offered ${percent(o.inScopeServed)}`);
    if (o.answeredSameRequest !== null) {
      console.log(`  of those, out-of-scope questions answered with this set's entry for the same request ${percent(o.answeredSameRequest)} of all questions`);
    }
  }
  console.log(JSON.stringify(result));
}

/** The configuration's default thresholds, with --answer and --margin applied. */
function matchingFrom(args: Map<string, string>): MatchingConfig {
  const defaults = parseConfig().matching;
  return {
    ...defaults,
    answerThreshold: args.has('answer') ? Number(args.get('answer')) : defaults.answerThreshold,
    clarifyMargin: args.has('margin') ? Number(args.get('margin')) : defaults.clarifyMargin,
  };
}

/** Runs one method in a child process, so that its memory is measured alone. */
function runInChild(name: string, argv: readonly string[]): MethodResult {
  const output = execFileSync(process.execPath, [__filename, ...argv, '--method', name], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const lines = output.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as MethodResult;
}

const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)} %`);

function printTable(results: readonly MethodResult[]): void {
  const header = ['method', 'queries', 'argmax', 'in-scope acc.', 'oos recall', 'oos precision', 'threshold', 'build', 'p50', 'p99', 'RSS'];
  const rows = results.map((r) => [
    r.method,
    String(r.evalQueries),
    percent(r.argmaxAccuracy),
    percent(r.chosen.inScopeAccuracy),
    percent(r.chosen.oosRecall),
    percent(r.chosen.oosPrecision),
    String(r.chosen.threshold),
    `${(r.buildMs / 1000).toFixed(2)} s`,
    `${r.p50Ms.toFixed(3)} ms`,
    `${r.p99Ms.toFixed(3)} ms`,
    `${r.rssMb} MB`,
  ]);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(
    argv,
    {
      train: 'value', eval: 'value', val: 'value', lang: 'value', compare: 'flag', sample: 'value', method: 'value', folds: 'value',
      labels: 'value', 'per-label': 'value', oos: 'value', same: 'value', 'leave-out': 'flag', answer: 'value', margin: 'value', content: 'value',
    },
    USAGE,
  );
  if (args.has('lang') && !isLang(args.get('lang'))) throw new Error(`--lang must be "es" or "en"\n${USAGE}`);
  for (const name of ['answer', 'margin']) {
    if (args.has(name) && !(Number(args.get(name)) >= 0 && Number(args.get(name)) <= 1)) throw new Error(`--${name} must be a number from 0 to 1\n${USAGE}`);
  }
  if (args.has('folds')) {
    const folds = Number(args.get('folds'));
    if (!(args.has('train') || args.has('content')) || !Number.isInteger(folds) || folds < 2) {
      throw new Error(`--folds needs --train (or --content) and a whole number of at least 2\n${USAGE}`);
    }
    if (args.has('content')) return crossValidateContent(args, folds);
    const pairs = readPairs(args.get('train')!, '--train').filter(([, label]) => label !== OUT_OF_SCOPE);
    if (args.has('leave-out')) {
      const result = await leaveLabelsOut(pairs, (args.get('lang') as Lang | undefined) ?? guessLanguage(pairs), folds);
      const { leftOut, heldOut } = result;
      console.log(`${args.get('train')}: each of ${folds} groups of labels left out of the build in turn, at the default threshold ${result.threshold}:`);
      console.log(`  questions about a label left out (${leftOut.questions}): turned away ${percent(leftOut.turnedAway)}; ` +
        `best confidence at the 50/70/80/90th percentile ${Object.values(leftOut.quantiles).join(' / ')}`);
      console.log(`  held-out questions about labels in the build (${heldOut.questions}): ranked right ${percent(heldOut.argmaxAccuracy)}, answered right ${percent(heldOut.answeredRight)}`);
      console.log(JSON.stringify(result));
      return;
    }
    // --oos FILE[,FILE…]: questions none of this knowledge base's entries answers: a file's "oos" examples
    // if it has any (CLINC150's train split), else all of its questions (another shop's).
    const outOfScope = (args.get('oos') ?? '').split(',').filter(Boolean).flatMap((file) => {
      const other = readPairs(file, '--oos');
      const marked = other.filter(([, label]) => label === OUT_OF_SCOPE);
      return (marked.length ? marked : other).map(([text, label]) => ({ text, source: `${setName(file)}:${label}` }));
    });
    const sameRequest = args.has('same') ? readSameRequests(args.get('same')!, setName(args.get('train')!)) : undefined;
    const result = await crossValidate(pairs, (args.get('lang') as Lang | undefined) ?? guessLanguage(pairs), folds, { outOfScope, sameRequest, matching: matchingFrom(args) });
    const thresholdNote = args.has('answer') ? 'answer threshold' : 'the default threshold';
    console.log(`${folds}-fold cross-validation of ${args.get('train')} (${pairs.length} examples) at ${thresholdNote} ${result.threshold}:`);
    printCrossValidation(result);
    return;
  }
  if (!args.has('train') || !args.has('eval')) throw new Error(`--train and --eval are required\n${USAGE}`);
  const only = args.get('method');
  if (only !== undefined) {
    if (!METHODS[only]) throw new Error(`--method must be one of ${Object.keys(METHODS).join(', ')}`);
    console.log(JSON.stringify(await runMethod(only, args)));
    return;
  }

  const ours = await runMethod('atento', args);
  const thresholdNote = args.has('val') ? 'threshold picked on --val' : args.has('answer') ? 'threshold from --answer' : 'default threshold from src/config.ts';
  console.log(`Atento on ${args.get('eval')} (${ours.evalQueries} queries), ${thresholdNote}:`);
  console.log(`  argmax accuracy ${percent(ours.argmaxAccuracy)}`);
  console.log(`  at threshold ${ours.chosen.threshold}: in-scope accuracy ${percent(ours.chosen.inScopeAccuracy)}, ` +
    `out-of-scope recall ${percent(ours.chosen.oosRecall)}, precision ${percent(ours.chosen.oosPrecision)}`);
  if (ours.atDefault) {
    console.log(`  at the ${args.has('answer') ? '--answer' : 'default'} threshold ${ours.atDefault.threshold}: in-scope accuracy ${percent(ours.atDefault.inScopeAccuracy)}, ` +
      `out-of-scope recall ${percent(ours.atDefault.oosRecall)}, precision ${percent(ours.atDefault.oosPrecision)}`);
  }
  if (ours.dialogue) {
    const d = ours.dialogue;
    console.log(`  through the dialogue's rules (answer ${ours.atDefault?.threshold}, margin ${matchingFrom(args).clarifyMargin}): in scope answered right ${percent(d.answeredRight)}, ` +
      `answered or offered ${percent(d.answeredOrOffered)}, answered wrong ${percent(d.answeredWrong)}; out of scope answered ${percent(d.oosAnswered)}, offered choices ${percent(d.oosOffered)}`);
  }
  console.log(`  build ${ours.buildMs} ms (CPU ${ours.buildCpuMs} ms), per query p50 ${ours.p50Ms} ms, p99 ${ours.p99Ms} ms, RSS ${ours.rssMb} MB`);

  const compared: MethodResult[] = [ours];
  if (args.has('compare')) {
    for (const name of Object.keys(METHODS).filter((n) => n !== 'atento')) {
      console.log(`running ${METHODS[name].name}…`);
      compared.push(runInChild(name, argv));
    }
    console.log('');
    printTable(compared);
  }
  console.log(
    JSON.stringify({
      inScopeAccuracy: ours.chosen.inScopeAccuracy,
      oosRecall: ours.chosen.oosRecall,
      oosPrecision: ours.chosen.oosPrecision,
      threshold: ours.chosen.threshold,
      buildMs: ours.buildMs,
      buildCpuMs: ours.buildCpuMs,
      p50Ms: ours.p50Ms,
      p99Ms: ours.p99Ms,
      argmaxAccuracy: ours.argmaxAccuracy,
      rssMb: ours.rssMb,
      atDefault: ours.atDefault,
      dialogue: ours.dialogue,
      ...(args.has('compare') ? { compare: compared } : {}),
    }),
  );
}

main().catch((error: Error) => {
  console.error(`bench:accuracy: ${error.message}`);
  process.exitCode = 1;
});
