import { gapTerms, groupGaps, type GapInput, type GapReason } from '../../src/gaps';

/** Grouping unanswered questions by meaning: pure, with the real language pipeline (src/nlp). */

const termsOf = gapTerms({ es: [['envio', 'despacho', 'entrega']], en: [] });
let nextId = 1;
const ask = (text: string, options: { lang?: 'es' | 'en'; at?: string; reason?: GapReason } = {}): GapInput => ({
  id: nextId++,
  text,
  lang: options.lang ?? 'es',
  askedAt: options.at ?? '2026-12-01T10:00:00.000Z',
  reason: options.reason ?? 'fallback',
});

describe('gapTerms', () => {
  it('gives the same terms whatever the accents, order, stop words and synonyms', () => {
    expect(termsOf('¿Hacen envíos a Chile?', 'es')).toEqual(termsOf('envio chile', 'es'));
    expect(termsOf('¿hacen despachos a Chile?', 'es')).toEqual(termsOf('hacen envios chile', 'es'));
    expect(termsOf('la factura electrónica', 'es')).toEqual(termsOf('facturas electronicas', 'es'));
    expect(termsOf('¿y?', 'es')).toEqual([]);
  });
});

describe('groupGaps', () => {
  it('puts wordings of one question together, biggest group first, with counts and examples', () => {
    const questions = [
      ask('¿Hacen factura electrónica?', { reason: 'fallback' }),
      ask('hacen facturas electronicas', { reason: 'clarify_unpicked' }),
      ask('necesito factura electrónica para mi empresa', { reason: 'low_confidence' }),
      ask('¿Hacen factura electrónica?', { reason: 'thumbs_down', at: '2026-12-02T10:00:00.000Z' }),
      ask('¿envían a Chile?'),
      ask('hacen despachos a chile'),
      ask('tienen tarjetas de regalo'),
    ];
    const groups = groupGaps(questions, { termsOf });
    expect(groups.map((g) => [g.count, g.examples[0]!.text])).toEqual([
      [4, '¿Hacen factura electrónica?'],
      [2, expect.stringMatching(/chile/i)],
      [1, 'tienen tarjetas de regalo'],
    ]);
    const invoices = groups[0]!;
    expect(invoices.reasons).toEqual({ fallback: 1, clarify_unpicked: 1, low_confidence: 1, thumbs_down: 1 });
    // Case, accents and punctuation do not make another wording; the count says how often each was asked.
    expect(invoices.examples).toEqual([
      { text: '¿Hacen factura electrónica?', count: 2 },
      { text: 'hacen facturas electronicas', count: 1 },
      { text: 'necesito factura electrónica para mi empresa', count: 1 },
    ]);
    expect(invoices.lastAskedAt).toBe('2026-12-02T10:00:00.000Z');
    expect(invoices.keys).toHaveLength(2); // {electron, factur} and {electron, empres, factur}
  });

  it('keeps different topics and different languages apart', () => {
    const groups = groupGaps([ask('cuanto cuesta el envio'), ask('envio gratis'), ask('gift cards', { lang: 'en' }), ask('tarjetas de regalo')], { termsOf });
    expect(groups).toHaveLength(4);
    expect(new Set(groups.map((g) => g.id)).size).toBe(4);
  });

  it('leaves out a handled group until a question arrives after it was handled', () => {
    const before = [ask('¿aceptan bitcoin?', { at: '2026-12-01T10:00:00.000Z' }), ask('aceptan bitcoin', { at: '2026-12-01T11:00:00.000Z' })];
    const [group] = groupGaps(before, { termsOf });
    const handled = new Map(group!.keys.map((key) => [`es ${key}`, '2026-12-01T12:00:00.000Z']));
    expect(groupGaps(before, { termsOf, handled })).toEqual([]);

    const later = [...before, ask('¿Aceptan Bitcoin?', { at: '2026-12-03T09:00:00.000Z' })];
    const [again] = groupGaps(later, { termsOf, handled });
    expect(again).toMatchObject({ count: 1, examples: [{ text: '¿Aceptan Bitcoin?', count: 1 }] });
    // A handled key of one language does not hide the other language's questions.
    expect(groupGaps([ask('aceptan bitcoin', { lang: 'en' })], { termsOf, handled })).toHaveLength(1);
  });

  it('gives the same groups for the same questions in any order', () => {
    const questions = [ask('envio a chile'), ask('factura electronica'), ask('envios a chile por favor'), ask('factura electronica'), ask('regalo')];
    const forward = groupGaps(questions, { termsOf });
    const backward = groupGaps([...questions].reverse(), { termsOf });
    expect(backward.map((g) => [g.id, g.count])).toEqual(forward.map((g) => [g.id, g.count]));
  });

  it('a wording close to two groups joins the bigger one, whatever its terms\' alphabetical order', () => {
    const plainTerms = (text: string) => [...new Set(text.split(' '))].sort();
    const questions = [...Array(3).fill('mochila negra'), ...Array(2).fill('abrigo azul'), 'abrigo azul mochila negra'].map((text) => ask(text));
    const groups = groupGaps(questions, { termsOf: plainTerms });
    expect(groups.map((g) => [g.terms.join(' '), g.count])).toEqual([['mochila negra', 4], ['abrigo azul', 2]]);
  });
});
