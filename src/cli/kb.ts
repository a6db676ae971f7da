import { createEngine, findOverlaps, formatProblem } from '../engine';
import { findPlaceholders, loadKnowledge } from '../knowledge';
import { parseCommand, UsageError } from './options';

const SUBCOMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  check: checkCommand,
  overlaps: overlapsCommand,
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
  const placeholders = findPlaceholders(knowledge.entries);
  const errors = knowledge.problems.filter((p) => p.severity === 'error').length;
  if (values.json) {
    console.log(JSON.stringify({ version: knowledge.version, entries: knowledge.entries.length, problems: knowledge.problems, placeholders }));
  } else {
    for (const problem of knowledge.problems) console.log(formatProblem(problem));
    for (const p of placeholders) console.log(`${p.file}:${p.line}: placeholder: "${p.text}" in ${p.id} is demo content: replace it with your shop's fact`);
    const warnings = knowledge.problems.length - errors;
    console.log(`\n${knowledge.entries.length} entries loaded (version ${knowledge.version}); ${errors} errors, ${warnings} warnings, ${placeholders.length} demo placeholders.`);
  }
  return errors > 0 ? 1 : 0;
}

/** Phrasings that another entry wins or comes close to: candidates for rewording. */
async function overlapsCommand(args: string[]): Promise<number> {
  const { values, config } = parseCommand('kb overlaps', args, { json: { type: 'boolean' } });
  const knowledge = loadKnowledge(config);
  const engine = createEngine(knowledge, { matching: config.matching, shopName: config.shopName, defaultLanguage: config.defaultLanguage });
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
