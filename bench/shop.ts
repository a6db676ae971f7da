/**
 * How the shop's own knowledge base treats a set of shopper questions, through the whole engine
 * (language detection, matcher, decision rules), at the configured thresholds or over a sweep of the
 * clarify threshold. Tune on a development set (bench/data/shop-dev.tsv); test/fixtures is the test set.
 *
 *   npm run bench:shop -- --questions FILE.tsv [--knowledge DIR] [--intents DIR] [--sweep] [--answer X] [--margin X]
 *
 * --answer X: answer at confidence X instead of the configured threshold (what a shop that prefers a
 * "did you mean…?" button to a wrong answer would get). --margin X: answer only when no other FAQ is
 * within X of the best, instead of the configured clarifyMargin.
 *
 * FILE.tsv: one question per line, `lang<TAB>text<TAB>expected id` (id `oos` = nothing should answer it).
 * The last line of output is one JSON object with the figures at the configured thresholds.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { parseConfig, type MatchingConfig } from '../src/config';
import { createEngine, engineOptions } from '../src/engine';
import { isLang, loadKnowledge, type Lang } from '../src/knowledge';

interface Question {
  lang: Lang;
  text: string;
  id: string;
}

interface Outcome {
  threshold: number;
  /** In scope: answered (or escalated) with the expected entry. */
  right: number;
  /** In scope: the expected entry offered among "did you mean…?" choices. */
  offered: number;
  /** In scope: answered with another entry. The costly mistake. */
  wrong: number;
  /** In scope: neither answered nor offered. */
  missed: number;
  /** Out of scope: answered or escalated anyway. */
  oosAnswered: number;
  /** Out of scope: shown choices. */
  oosClarified: number;
  inScope: number;
  outOfScope: number;
}

function readQuestions(file: string): Question[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((line, index) => ({ fields: line.split('\t'), line: index + 1 }))
    .filter(({ fields }) => fields.length > 1)
    .map(({ fields: [lang, text, id], line }) => {
      if (!isLang(lang) || !text || !id) throw new Error(`${file}:${line}: expected "lang<TAB>text<TAB>id" with lang es or en`);
      return { lang, text, id };
    });
}

function evaluate(questions: Question[], matching: MatchingConfig, dirs: { knowledgeDir: string; intentsDir: string }): Outcome {
  const config = parseConfig({ ...dirs, matching });
  const engine = createEngine(loadKnowledge(config), engineOptions(config));
  const outcome: Outcome = { threshold: matching.clarifyThreshold, right: 0, offered: 0, wrong: 0, missed: 0, oosAnswered: 0, oosClarified: 0, inScope: 0, outOfScope: 0 };
  for (const question of questions) {
    const reply = engine.respond(question.text, { lang: question.lang });
    // The off-topic intent's reply turns the question away: it is not an answer.
    const answered = (reply.action === 'answer' || reply.action === 'escalate') && reply.id !== 'off-topic';
    if (question.id === 'oos') {
      outcome.outOfScope++;
      if (answered) outcome.oosAnswered++;
      else if (reply.action === 'clarify') outcome.oosClarified++;
      continue;
    }
    outcome.inScope++;
    if (answered && reply.id === question.id) outcome.right++;
    else if (answered) outcome.wrong++;
    else if (reply.options.some((o) => o.id === question.id)) outcome.offered++;
    else outcome.missed++;
  }
  return outcome;
}

function main(): void {
  const { values } = parseArgs({
    options: { questions: { type: 'string' }, knowledge: { type: 'string' }, intents: { type: 'string' }, sweep: { type: 'boolean' }, answer: { type: 'string' }, margin: { type: 'string' } },
  });
  if (!values.questions) {
    console.error('usage: npm run bench:shop -- --questions FILE.tsv [--knowledge DIR] [--intents DIR] [--sweep] [--answer X] [--margin X]');
    process.exit(2);
  }
  const questions = readQuestions(values.questions);
  const overrides: Partial<MatchingConfig> = {};
  for (const [option, key] of [['answer', 'answerThreshold'], ['margin', 'clarifyMargin']] as const) {
    const value = values[option];
    if (value === undefined) continue;
    if (!(Number(value) >= 0 && Number(value) <= 1)) {
      console.error(`bench:shop: --${option} must be a number from 0 to 1`);
      process.exit(2);
    }
    overrides[key] = Number(value);
  }
  const defaults = parseConfig({ matching: overrides });
  const dirs = { knowledgeDir: values.knowledge ?? defaults.knowledgeDir, intentsDir: values.intents ?? defaults.intentsDir };
  const thresholds = values.sweep ? [0.25, 0.3, 0.35, 0.4, 0.45, defaults.matching.clarifyThreshold] : [defaults.matching.clarifyThreshold];
  const pct = (n: number, of: number) => `${((100 * n) / Math.max(of, 1)).toFixed(1)} %`.padStart(8);
  console.log('clarify≥  in scope: right  offered    wrong   missed │ out of scope: answered  clarified');
  let atDefault: Outcome | null = null;
  for (const threshold of [...new Set(thresholds)].sort()) {
    const o = evaluate(questions, { ...defaults.matching, clarifyThreshold: threshold }, dirs);
    if (threshold === defaults.matching.clarifyThreshold) atDefault = o;
    console.log(
      `${threshold.toFixed(2).padStart(8)}  ${pct(o.right, o.inScope)} ${pct(o.offered, o.inScope)} ${pct(o.wrong, o.inScope)} ${pct(o.missed, o.inScope)} │ ${pct(o.oosAnswered, o.outOfScope)}  ${pct(o.oosClarified, o.outOfScope)}${threshold === defaults.matching.clarifyThreshold ? '   (configured)' : ''}`,
    );
  }
  console.log(`${questions.length} questions (${atDefault!.inScope} in scope, ${atDefault!.outOfScope} out of scope); answer threshold ${defaults.matching.answerThreshold}`);
  console.log(JSON.stringify(atDefault));
}

main();
