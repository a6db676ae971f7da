import { createEngine, engineOptions, findOverlaps, formatProblem } from '../engine';
import { findPlaceholders, loadKnowledge, SHOP_VALUES_FILE } from '../knowledge';
import { knowledgeGaps, type KnowledgeGap } from '../gaps';
import { openConfiguredStore } from '../store/open';
import { missingDatabase, parseCommand, parseLang, UsageError } from './options';

const SUBCOMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  check: checkCommand,
  gaps: gapsCommand,
  overlaps: overlapsCommand,
  unanswered: unansweredCommand,
};

export async function kbCommand(args: string[]): Promise<number> {
  const [name, ...rest] = args;
  const run = name ? SUBCOMMANDS[name] : undefined;
  if (!run) throw new UsageError(`atento kb: use one of ${Object.keys(SUBCOMMANDS).join(', ')}`);
  return run(rest);
}

/** Problems as `file:line: severity: message`, then demo placeholders left; exit 1 if any error. */
async function checkCommand(args: string[]): Promise<number> {
  const { values, config } = parseCommand('kb check', args, { json: { type: 'boolean' } });
  const knowledge = loadKnowledge(config);
  const placeholders = findPlaceholders(knowledge.entries, knowledge.values);
  const errors = knowledge.problems.filter((p) => p.severity === 'error').length;
  if (values.json) {
    console.log(JSON.stringify({ version: knowledge.version, entries: knowledge.entries.length, problems: knowledge.problems, placeholders }));
  } else {
    for (const problem of knowledge.problems) console.log(formatProblem(problem));
    for (const p of placeholders) {
      if (p.key) console.log(`${p.file}:${p.line}: demo value: [[${p.key}]] in ${p.id} shows "${p.text}" from the ${config.shopCountry} demo profile: set "${p.key}" in knowledge/${SHOP_VALUES_FILE}`);
      else console.log(`${p.file}:${p.line}: placeholder: "${p.text}" in ${p.id} is demo content: replace it with your shop's fact`);
    }
    const warnings = knowledge.problems.length - errors;
    console.log(`\n${knowledge.entries.length} entries loaded (version ${knowledge.version}); ${errors} errors, ${warnings} warnings, ${placeholders.length} demo placeholders.`);
  }
  return errors > 0 ? 1 : 0;
}

/** Phrasings that another entry wins or comes close to: candidates for rewording. */
async function overlapsCommand(args: string[]): Promise<number> {
  const { values, config } = parseCommand('kb overlaps', args, { json: { type: 'boolean' } });
  const knowledge = loadKnowledge(config);
  const engine = createEngine(knowledge, engineOptions(config));
  const overlaps = findOverlaps(engine, config.matching);
  if (values.json) {
    console.log(JSON.stringify({ overlaps }));
    return 0;
  }
  for (const o of overlaps) {
    const entry = engine.entry(o.id, o.lang);
    const where = entry ? `${entry.source.file}:${entry.source.line}` : o.id;
    console.log(`${where}: "${o.phrasing}" (${o.id}, ${o.own.toFixed(2)}) is close to ${o.with} (${o.rival.toFixed(2)})`);
  }
  console.log(`\n${overlaps.length} phrasings overlap with another entry.`);
  return 0;
}

/** What shoppers asked that the bot could not answer well, most frequent first: FAQs to write. */
async function unansweredCommand(args: string[]): Promise<number> {
  const { values, config } = parseCommand('kb unanswered', args, {
    since: { type: 'string' },
    limit: { type: 'string' },
    lang: { type: 'string' },
    json: { type: 'boolean' },
  });
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('atento kb unanswered: --limit must be a whole number above 0');
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since as string))) {
    throw new UsageError('atento kb unanswered: --since must be a date such as 2026-11-01');
  }
  const missing = missingDatabase('atento kb unanswered', config);
  if (missing) {
    console.error(missing);
    return 1;
  }
  const store = await openConfiguredStore(config);
  try {
    const since = values.since === undefined ? undefined : new Date(values.since as string).toISOString();
    const rows = await store.unanswered({ since, limit, lang: parseLang('kb unanswered', values.lang), belowConfidence: config.matching.answerThreshold });
    if (values.json) {
      console.log(JSON.stringify({ unanswered: rows }));
      return 0;
    }
    for (const row of rows) console.log(`${String(row.count).padStart(4)}×  [${row.lang ?? '?'}] "${row.example}"  (last ${row.lastAskedAt}, bot: ${row.lastAction ?? '-'})`);
    console.log(`\n${rows.length} questions without a good answer.`);
    return 0;
  } finally {
    await store.close();
  }
}

const REASON_NAMES: Record<string, string> = { fallback: 'fallback', clarify_unpicked: 'clarify not picked', low_confidence: 'low confidence', thumbs_down: 'thumbs down' };

/** Unanswered questions grouped by meaning, with the FAQ that comes closest: the same groups as /agent/knowledge. */
async function gapsCommand(args: string[]): Promise<number> {
  const { values, config } = parseCommand('kb gaps', args, {
    since: { type: 'string' },
    limit: { type: 'string' },
    lang: { type: 'string' },
    json: { type: 'boolean' },
  });
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('atento kb gaps: --limit must be a whole number above 0');
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since as string))) {
    throw new UsageError('atento kb gaps: --since must be a date such as 2026-11-01');
  }
  const missing = missingDatabase('atento kb gaps', config);
  if (missing) {
    console.error(missing);
    return 1;
  }
  const knowledge = loadKnowledge(config);
  const engine = createEngine(knowledge, engineOptions(config));
  const store = await openConfiguredStore(config);
  let groups: KnowledgeGap[];
  try {
    const since = values.since === undefined ? undefined : new Date(values.since as string).toISOString();
    const questions = await store.gaps.questions({ since, lang: parseLang('kb gaps', values.lang), belowConfidence: config.matching.answerThreshold });
    groups = knowledgeGaps(questions, engine, { handled: await store.gaps.handled(), limit });
  } finally {
    await store.close();
  }
  if (values.json) {
    console.log(JSON.stringify({ groups }));
    return 0;
  }
  for (const group of groups) {
    const reasons = Object.entries(group.reasons).map(([reason, count]) => `${count} ${REASON_NAMES[reason] ?? reason}`).join(', ');
    console.log(`${String(group.count).padStart(4)}×  [${group.lang}] ${group.terms.join(' ')}  (${reasons}; last ${group.lastAskedAt})`);
    for (const example of group.examples.slice(0, 3)) console.log(`        "${example.text}"${example.count > 1 ? ` ×${example.count}` : ''}`);
    const closest = group.closest;
    console.log(closest ? `        closest: ${closest.id} (${closest.confidence.toFixed(2)}) ${closest.file}:${closest.line}${closest.answeredNow ? ' — answered now: mark it handled' : ''}` : '        closest: none');
  }
  console.log(`\n${groups.length} groups of questions without a good answer.`);
  return 0;
}
