import readline from 'node:readline';
import { createEngine, engineOptions, formatProblem, type Engine, type Reply } from '../engine';
import { isLang, loadKnowledge } from '../knowledge';
import type { Config } from '../config';
import type { DecisionRule } from '../dialogue';
import { knowledgeText, knowledgeWord } from '../channels/knowledge-text';
import { parseCommand, parseLang, UsageError } from './options';

function buildEngine(config: Config, log: (line: string) => void): Engine {
  const knowledge = loadKnowledge(config);
  for (const problem of knowledge.problems.filter((p) => p.severity === 'error')) log(formatProblem(problem));
  return createEngine(knowledge, engineOptions(config));
}

export async function askCommand(args: string[]): Promise<number> {
  const { values, positionals, config } = parseCommand('ask', args, { lang: { type: 'string' }, json: { type: 'boolean' } });
  const question = positionals.join(' ').trim();
  if (!question) throw new UsageError('atento ask: give a question, e.g. atento ask "¿cuánto tarda el envío?"');
  const engine = buildEngine(config, console.error);
  const reply = engine.respond(question, { lang: parseLang('ask', values.lang) });
  console.log(values.json ? JSON.stringify(reply, null, 2) : describeReply(reply));
  return 0;
}

/** The human-readable form of a reply: the decision, what the bot says, and why. */
export function describeReply(reply: Reply): string {
  const { explanation } = reply;
  const lines = [
    `decision:   ${reply.action}${reply.id ? ` → ${reply.id}` : ''} (confidence ${reply.confidence.toFixed(2)})`,
    `language:   ${reply.lang}${explanation.language.detected ? ` (detected ${explanation.language.detected})` : ' (not detected: conversation default)'}`,
    `normalized: "${explanation.normalized}"`,
  ];
  if (explanation.corrections.length > 0) {
    lines.push(`typos:      ${explanation.corrections.map((c) => `${c.from} → ${c.to}`).join(', ')}`);
  }
  const why = explanation.rule && describeRule(explanation.rule, reply.candidates[0]?.matched ?? []);
  if (why) lines.push(`why:        ${why}`);
  const unknown = new Set(explanation.unknownWords ?? []);
  if (unknown.size > 0) lines.push(`unknown:    ${[...unknown].join(', ')} (no entry's phrasings use them: every candidate is less sure)`);
  lines.push('', reply.text);
  for (const option of reply.options) lines.push(`  [${option.id}] ${option.label}`);
  if (reply.related.length > 0) lines.push('', `related:    ${reply.related.map((r) => r.id).join(', ')}`);
  lines.push('', 'candidates:');
  for (const candidate of reply.candidates) {
    lines.push(`  ${candidate.confidence.toFixed(3)}  ${candidate.id.padEnd(22)} matched: ${candidate.matched.join(', ') || '-'}`);
    // Why a candidate with matching words may still be unsure: the rest of the message is about
    // something else, another entry's topic (said here) or nothing the shop knows (said above).
    const others = (candidate.elsewhere ?? []).filter((word) => !unknown.has(word));
    if (candidate.matched.length > 0 && others.length > 0) lines.push(`  ${''.padEnd(5)}  ${''.padEnd(22)} other entries' words: ${others.join(', ')}`);
  }
  return lines.join('\n');
}

/** The dialogue's rule, in an editor's words: the knowledge page's English sentence. */
function describeRule(rule: DecisionRule, bestMatched: readonly string[]): string {
  return knowledgeWord('en', 'kb.rule', rule, { words: bestMatched.join(', ') || knowledgeText('en', 'kb.rule.noWord') });
}

/** One JSON object per input line; the format is a public contract (docs/cli.md). */
export async function classifyCommand(args: string[]): Promise<number> {
  const { config } = parseCommand('classify', args, {});
  const engine = buildEngine(config, console.error);
  let lineNo = 0;
  let failures = 0;
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    lineNo += 1;
    if (!line.trim()) continue;
    const input = parseClassifyLine(line);
    if ('error' in input) {
      failures += 1;
      process.stdout.write(`${JSON.stringify({ line: lineNo, error: input.error })}\n`);
      continue;
    }
    const reply = engine.respond(input.text, { lang: input.lang, detect: input.lang === undefined });
    const output = {
      text: input.text,
      lang: reply.lang,
      action: reply.action,
      id: reply.id,
      confidence: round(reply.confidence),
      candidates: reply.candidates.map((c) => ({ id: c.id, confidence: round(c.confidence) })),
    };
    process.stdout.write(`${JSON.stringify(output)}\n`);
  }
  return failures > 0 ? 1 : 0;
}

type ClassifyInput = { text: string; lang?: 'es' | 'en' } | { error: string };

function parseClassifyLine(line: string): ClassifyInput {
  if (!line.trimStart().startsWith('{')) return { text: line };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { error: `not valid JSON: ${(error as Error).message}` };
  }
  const { text, lang } = value as { text?: unknown; lang?: unknown };
  if (typeof text !== 'string' || !text.trim()) return { error: 'a JSON line needs a non-empty "text" string' };
  if (lang !== undefined && !isLang(lang)) return { error: '"lang" must be "es" or "en" when given' };
  return { text, lang };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** A terminal conversation with the bot, for content editors trying their changes. */
export async function chatCommand(args: string[]): Promise<number> {
  const { values, config } = parseCommand('chat', args, { lang: { type: 'string' } });
  const engine = buildEngine(config, console.error);
  let lang = parseLang('chat', values.lang) ?? config.defaultLanguage;
  const prompt = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: 'tú> ' });
  console.log('Escribe una pregunta (Ctrl+D para salir). Type a question (Ctrl+D to quit).');
  prompt.prompt();
  for await (const line of prompt) {
    if (line.trim()) {
      const reply = engine.respond(line, { lang });
      lang = reply.lang;
      console.log(`\nbot> [${reply.action}${reply.id ? ` ${reply.id}` : ''} ${reply.confidence.toFixed(2)}] ${reply.text}`);
      for (const option of reply.options) console.log(`     · ${option.label}`);
      console.log('');
    }
    prompt.prompt();
  }
  return 0;
}
