import fs from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../../src/config';
import { knowledgeGaps } from '../../src/gaps';
import { createEngine, engineOptions } from '../../src/engine';
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
const engine = createEngine(knowledge, engineOptions(config));

describe('the shipped knowledge base', () => {
  it('loads without errors', () => {
    expect(knowledge.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});

const answered = (action: string) => action === 'answer' || action === 'escalate';

/**
 * Questions the bot still gets wrong, each with why. They run as `it.failing`: the day one passes,
 * its test fails and asks for it to be moved back among the ordinary ones.
 */
const KNOWN_GAPS: Record<string, string> = {
  'hola, quiero comprar unas zapatillas pero las necesito antes del viernes, alcanzan a llegar a cordoba?':
    'a long message: "llegar" pulls to shipping-coverage, "zapatillas" to exchanges; shipping-time is not close enough to be offered',
  'alright, catch you later': 'no goodbye example shares a word with it',
  'a que hora abre el banco': 'out of scope, but "a que hora abre" is how shoppers ask for support-hours and "banco" is one unknown word in three',
  'a que hora pasa el metro': 'the same: opening-hours wording with one unknown topic word',
  "the headphones are defective, one side doesn't work": '"doesn\'t work" is coupon-problem\'s wording ("my code doesn\'t work"); "defective" alone does not win',
};
const check = (text: string) => (text in KNOWN_GAPS ? it.failing : it);

describe.each(['es', 'en'] as const)('%s shopper questions', (lang) => {
  // A shopper reaches the right answer at once, or with one click on a "did you mean…?" button;
  // never a different answer, never "I did not understand".
  for (const { text, id } of fixtures[lang]) {
    check(text)(`"${text}" → ${id}`, () => {
      const reply = engine.respond(text, { lang });
      const reached = answered(reply.action) ? reply.id : reply.options.find((option) => option.id === id)?.id ?? `${reply.action}: ${reply.id}`;
      expect({ reached, lang: reply.lang }).toEqual({ reached: id, lang });
    });
  }

  it('are answered directly, without a "did you mean…?" step, at least 9 times in 10', () => {
    const direct = fixtures[lang].filter(({ text, id }) => {
      const reply = engine.respond(text, { lang });
      return answered(reply.action) && reply.id === id;
    });
    expect(direct.length / fixtures[lang].length).toBeGreaterThanOrEqual(0.9);
  });
});

describe('out-of-scope questions never get a confident answer', () => {
  // Turned away: "I did not understand", "did you mean…?", or the off-topic intent's "I can only help with the shop".
  for (const { text, lang } of fixtures.outOfScope) {
    check(text)(`"${text}" (${lang})`, () => {
      const reply = engine.respond(text, { lang });
      expect(reply.id === 'off-topic' ? 'off-topic' : reply.action).toMatch(/^(fallback|clarify|off-topic)$/);
    });
  }
});

describe('exceptions hand off to a person', () => {
  for (const { text, id, lang } of fixtures.exceptions) {
    check(text)(`"${text}" → escalate ${id}`, () => {
      const reply = engine.respond(text, { lang });
      expect({ action: reply.action, reason: reply.reason }).toEqual({ action: 'escalate', reason: id });
    });
  }
});

describe('the off-topic intent', () => {
  // Worded apart from its examples: another topic gets "I only help with the shop", the shop's own hours do not.
  it.each([
    ['es', 'mañana llueve en lima?', 'off-topic'],
    ['en', "what's the weather in london", 'off-topic'],
    ['en', 'who won the football match', 'off-topic'],
    ['es', 'a que hora cierran los sabados', 'support-hours'],
    ['en', 'what time do you close', 'support-hours'],
  ] as const)('%s "%s" → %s', (lang, text, id) => {
    const reply = engine.respond(text, { lang });
    expect({ action: reply.action, id: reply.id }).toEqual({ action: 'answer', id });
  });

  it('says what the bot can help with, in the shopper\'s language, with the shop\'s name', () => {
    const reply = engine.respond('will it rain tomorrow in lima', { lang: 'en' });
    expect(reply.id).toBe('off-topic');
    expect(reply.text).toContain(config.shopName);
    expect(reply.text).toMatch(/only help with questions about/);
  });
});

describe('short replies to the bot', () => {
  // Found by trying the widget: a bare "sí" got the delivery times, "listo" the mailing-list answer, and
  // "no gracias" after "¿algo más?" is a goodbye, not a question.
  it.each([
    ['es', 'sí', 'acknowledgement'],
    ['es', 'listo', 'acknowledgement'],
    ['es', 'ya está', 'acknowledgement'],
    ['es', 'dale', 'acknowledgement'],
    ['en', 'ok', 'acknowledgement'],
    ['en', 'got it', 'acknowledgement'],
    ['en', 'yes', 'acknowledgement'],
    ['es', 'no gracias', 'goodbye'],
    ['es', 'no, gracias', 'goodbye'],
    ['en', 'no thanks', 'goodbye'],
  ] as const)('%s "%s" → %s', (lang, text, id) => {
    const reply = engine.respond(text, { lang });
    expect({ action: reply.action, id: reply.id }).toEqual({ action: 'answer', id });
  });

  it('Spanish small talk in an English chat is answered in English; a Spanish FAQ word is not answered at all', () => {
    expect(engine.respond('gracias', { lang: 'en' })).toMatchObject({ action: 'answer', id: 'thanks', lang: 'en', text: expect.stringMatching(/^[A-Z][a-z]/) });
    expect(engine.respond('hola', { lang: 'en' })).toMatchObject({ action: 'answer', id: 'greeting', lang: 'en' });
    expect(engine.respond('pago', { lang: 'en' })).toMatchObject({ action: 'fallback', lang: 'en' });
  });

  it('a shopper fed up with the bot gets a person, not a FAQ, and a held-down letter is not a size', () => {
    // Found by a QA pass in the widget: "no sirves para nada" offered the coupon FAQ, "mmm" the size guide.
    for (const [lang, text] of [['es', 'no sirves para nada'], ['es', 'este asistente no me entiende'], ['en', 'you are so useless']] as const) {
      expect(engine.respond(text, { lang })).toMatchObject({ action: 'escalate', id: 'human-request' });
    }
    expect(engine.respond('mmm', { lang: 'es' }).id).not.toBe('size-guide');
  });

  it('an order that never came is handed to a person as not received, not as damaged', () => {
    for (const text of ['el pedido no me llegó', 'no me llego el pedido']) {
      expect(engine.respond(text, { lang: 'es' })).toMatchObject({ action: 'escalate', id: 'order-not-received' });
    }
  });
});

describe('the support-hours answer', () => {
  it('shows the hours the handoff keeps (handoff.businessHours), not a copy that can drift', () => {
    const open24 = parseConfig({ knowledgeDir: path.join(root, 'knowledge'), intentsDir: path.join(root, 'intents'), handoff: { businessHours: { mon: '00:00-24:00', tue: '00:00-24:00' } } });
    const text = (engineOf: typeof engine, lang: 'es' | 'en', question: string) => engineOf.respond(question, { lang }).text;
    expect(text(engine, 'es', 'a que hora atienden')).toContain('- **Lunes a viernes:** 09:00 a 18:00\n- **Sábado:** 10:00 a 14:00\n- **Domingo:** cerrado');
    const other = createEngine(knowledge, engineOptions(open24));
    expect(text(other, 'en', 'what are your opening hours')).toContain('- **Monday and Tuesday:** 00:00–24:00\n- **Wednesday to Sunday:** closed');
  });
});

describe('unanswered-question groups on the shipped content', () => {
  const asked = (reason: 'fallback' | 'thumbs_down') => [{ id: 1, text: '¿cuánto cuesta el envío?', lang: 'es' as const, askedAt: '2026-12-01T10:00:00.000Z', reason }];
  it('say "answered now" when the bot answers them, but not when that answer got a thumb down', () => {
    expect(knowledgeGaps(asked('fallback'), engine)[0]!.closest).toMatchObject({ id: 'shipping-cost', answeredNow: true });
    expect(knowledgeGaps(asked('thumbs_down'), engine)[0]!.closest).toMatchObject({ id: 'shipping-cost', answeredNow: false });
  });
});
