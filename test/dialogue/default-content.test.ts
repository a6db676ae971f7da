import fs from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../../src/config';
import { createEngine } from '../../src/engine';
import { loadKnowledge, type Lang } from '../../src/knowledge';

/**
 * The shipped knowledge base against shopper questions written apart from it (test/fixtures/dialogues.json):
 * a regression spec for content editors and for matcher changes.
 */
interface Fixtures {
  es: Array<{ text: string; id: string }>;
  en: Array<{ text: string; id: string }>;
  outOfScope: Array<{ text: string; lang: Lang }>;
  exceptions: Array<{ text: string; lang: Lang; id: string }>;
}
const root = path.join(__dirname, '..', '..');
const fixtures = JSON.parse(fs.readFileSync(path.join(root, 'test/fixtures/dialogues.json'), 'utf8')) as Fixtures;
const config = parseConfig({ knowledgeDir: path.join(root, 'knowledge'), intentsDir: path.join(root, 'intents') });
const knowledge = loadKnowledge(config);
const engine = createEngine(knowledge, { matching: config.matching, shopName: config.shopName, defaultLanguage: config.defaultLanguage });

describe('the shipped knowledge base', () => {
  it('loads without errors', () => {
    expect(knowledge.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

const answered = (action: string) => action === 'answer' || action === 'escalate';

describe.each(['es', 'en'] as const)('%s shopper questions', (lang) => {
  // A shopper reaches the right answer at once, or with one click on a "did you mean…?" button;
  // never a different answer, never "I did not understand".
  it.each(fixtures[lang].map((q) => [q.text, q.id]))('"%s" → %s', (text, id) => {
    const reply = engine.respond(text, { lang });
    const reached = answered(reply.action) ? reply.id : reply.options.find((option) => option.id === id)?.id ?? `${reply.action}: ${reply.id}`;
    expect({ reached, lang: reply.lang }).toEqual({ reached: id, lang });
  });

  it('are answered directly, without a "did you mean…?" step, at least 9 times in 10', () => {
    const direct = fixtures[lang].filter(({ text, id }) => {
      const reply = engine.respond(text, { lang });
      return answered(reply.action) && reply.id === id;
    });
    expect(direct.length / fixtures[lang].length).toBeGreaterThanOrEqual(0.9);
  });
});

describe('out-of-scope questions never get a confident answer', () => {
  it.each(fixtures.outOfScope.map((q) => [q.text, q.lang]))('"%s" (%s)', (text, lang) => {
    expect(['fallback', 'clarify']).toContain(engine.respond(text, { lang }).action);
  });
});

describe('exceptions hand off to a person', () => {
  it.each(fixtures.exceptions.map((q) => [q.text, q.id, q.lang]))('"%s" → escalate %s', (text, id, lang) => {
    const reply = engine.respond(text, { lang });
    expect({ action: reply.action, reason: reply.reason }).toEqual({ action: 'escalate', reason: id });
  });
});
