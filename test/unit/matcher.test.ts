import { buildMatcher, type Example } from '../../src/matcher';
import { detectLanguage } from '../../src/nlp';

/** A small Spanish shop knowledge base, written the way shoppers ask. */
const SPANISH: Record<string, string[]> = {
  'shipping-time': ['cuanto tarda el envio', 'en cuantos dias llega mi pedido', 'cuando me llega la compra', 'demora del despacho'],
  'shipping-cost': ['cuanto cuesta el envio', 'el envio es gratis', 'precio del despacho', 'cobran el envio'],
  returns: ['como hago una devolucion', 'quiero devolver un producto', 'puedo devolver lo que compre', 'politica de devoluciones'],
  refunds: ['cuando me devuelven el dinero', 'quiero un reembolso', 'no me llega el reembolso', 'reembolso a mi tarjeta'],
  'password-reset': ['olvide mi contraseña', 'no puedo entrar a mi cuenta', 'cambiar la contraseña', 'recuperar contraseña'],
  invoice: ['necesito factura', 'como pido la factura', 'me pueden dar factura de mi compra', 'datos para la factura'],
  warranty: ['que garantia tiene', 'el producto tiene garantia', 'se rompio y esta en garantia', 'cuanto dura la garantia'],
  exchanges: ['quiero cambiar la talla', 'puedo cambiar el color', 'me quedo chico quiero otro', 'cambio de talla'],
  greeting: ['hola', 'buenas', 'buenos dias', 'holi que tal'],
  thanks: ['gracias', 'muchas gracias', 'mil gracias', 'te agradezco'],
};
const ENGLISH: Record<string, string[]> = {
  'shipping-time': ['how long does shipping take', 'when will my order arrive', 'delivery time'],
  'shipping-cost': ['how much is shipping', 'is shipping free', 'shipping cost'],
  returns: ['how do i return an item', 'return policy', 'can i send it back'],
};
const SYNONYMS = [
  ['factura', 'boleta', 'comprobante'],
  ['envio', 'despacho', 'delivery'],
];

const examplesOf = (kb: Record<string, string[]>): Example[] =>
  Object.entries(kb).flatMap(([label, texts]) => texts.map((text) => ({ text, label })));
const spanish = buildMatcher(examplesOf(SPANISH), { lang: 'es', synonyms: SYNONYMS });
const english = buildMatcher(examplesOf(ENGLISH), { lang: 'en' });
const top = (text: string) => spanish.rank(text).candidates[0];
const ANSWER_THRESHOLD = 0.5;

describe('buildMatcher', () => {
  it('lists its labels once each, in order of first appearance', () => {
    expect(spanish.labels).toEqual(Object.keys(SPANISH));
  });

  it.each([
    ['¿cuánto demora en llegar mi pedido?', 'shipping-time'],
    ['y el envío cuánto me cuesta?', 'shipping-cost'],
    ['quiero devolver unas zapatillas', 'returns'],
    ['cuando me devuelven la plata del reembolso', 'refunds'],
    ['me olvidé la contraseña', 'password-reset'],
    ['se me rompió, tiene garantía?', 'warranty'],
    ['holaaa', 'greeting'],
  ])('answers %j with %s, confidently', (question, id) => {
    expect(top(question)).toMatchObject({ id });
    expect(top(question).confidence).toBeGreaterThanOrEqual(ANSWER_THRESHOLD);
  });

  it.each([
    ['una debolución', 'returns', 'debolucion'],
    ['mi reembolzo', 'refunds', 'reembolzo'],
    ['olvide la contrasena', 'password-reset', null],
    ['necesito factrua', 'invoice', 'factrua'],
  ])('still matches %j despite the typo', (question, id, repaired) => {
    const result = spanish.rank(question);
    expect(result.candidates[0].id).toBe(id);
    if (repaired) expect(result.corrections.map((c) => c.from)).toContain(repaired);
  });

  it('does not "repair" a correct word it does not know into one it knows', () => {
    expect(spanish.rank('me gané un premio').corrections).toEqual([]);
  });

  it('reads synonyms as their canonical word and says which words matched', () => {
    const result = spanish.rank('me mandan la boleta?');
    expect(result.candidates[0]).toMatchObject({ id: 'invoice', matched: ['factura'] });
  });

  it('lists matched words without stop words', () => {
    const matched = top('cuanto tarda el envio').matched;
    expect(matched).toEqual(expect.arrayContaining(['tarda', 'envio']));
    expect(matched).not.toContain('el');
  });

  it('weighs a word seen in one label more than a word every label uses', () => {
    const matcher = buildMatcher(
      [
        { text: 'quiero cambiar la talla', label: 'exchanges' },
        { text: 'quiero otra talla', label: 'exchanges' },
        { text: 'quiero saber el precio', label: 'price' },
        { text: 'quiero el precio', label: 'price' },
        { text: 'quiero la garantia', label: 'warranty' },
        { text: 'quiero usar la garantia', label: 'warranty' },
      ],
      { lang: 'es' },
    );
    expect(matcher.rank('quiero quiero quiero garantia').candidates[0].id).toBe('warranty');
  });

  it('is not confident about questions the shop cannot answer', () => {
    for (const question of ['cual es la capital de australia', 'quien gano el partido de anoche', 'asdkjh qwpoei', 'me ayudas con mi tarea de matematicas']) {
      expect(top(question)?.confidence ?? 0).toBeLessThan(ANSWER_THRESHOLD);
    }
  });

  it('turns away a question whose topic words the shop never uses, though its question words are known', () => {
    const matcher = buildMatcher(
      examplesOf({
        exchanges: ['quiero cambiar la talla', 'puedo cambiar el color', 'me quedo chico quiero otro', 'cambio de talla'],
        refunds: ['cuando me devuelven el dinero', 'quiero un reembolso', 'no me llega el reembolso', 'reembolso a mi tarjeta'],
        contact: ['cual es su numero de telefono', 'como los contacto', 'tienen whatsapp', 'correo de contacto'],
      }),
      { lang: 'es' },
    );
    const confidence = (question: string) => matcher.rank(question).candidates[0]?.confidence ?? 0;
    // "cambio" is known; "llanta" and "carro" are not.
    expect(confidence('cambio la llanta del carro')).toBeLessThan(ANSWER_THRESHOLD);
    expect(confidence('cambio de talla')).toBeGreaterThanOrEqual(ANSWER_THRESHOLD);
    // A typo repaired to a known word counts as known.
    expect(confidence('quiero un reembolzo')).toBeGreaterThanOrEqual(ANSWER_THRESHOLD);
  });

  it('is not sure of an entry when the topic words of the message belong to other entries', () => {
    // Every word is known, but "factura" names the invoice entry and "contraseña" the password one.
    const mixed = top('necesito factura de la contraseña');
    const own = top('necesito factura');
    expect(mixed.id).toBe('invoice');
    expect(own.id).toBe('invoice');
    expect(mixed.confidence).toBeLessThan(own.confidence - 0.05);
  });

  it('gives every confidence in [0, 1], best first, even for empty or odd input', () => {
    // The last two mix topics: the topic share reorders the most probable labels.
    for (const question of ['', '   ', '😀😀', '123456', 'cuanto tarda el envio', 'x'.repeat(500), 'envio '.repeat(200), 'mi cuanto producto', 'quiero tarda tarjeta']) {
      const { candidates } = spanish.rank(question, 10);
      for (const candidate of candidates) {
        expect(candidate.confidence).toBeGreaterThanOrEqual(0);
        expect(candidate.confidence).toBeLessThanOrEqual(1);
      }
      const confidences = candidates.map((c) => c.confidence);
      expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    }
  });

  it('says which words no phrasing uses; a stop word of the phrasings does not make its look-alike known', () => {
    // "como" (how) is in the phrasings and stems like "comer" (to eat), which is not.
    expect(spanish.rank('mi perro no quiere comer').unknownWords).toEqual(['perro', 'comer']);
    expect(spanish.rank('quiero devolver un producto').unknownWords).toEqual([]);
  });

  it('returns at most `limit` candidates', () => {
    expect(spanish.rank('envio', 2).candidates.length).toBeLessThanOrEqual(2);
    expect(spanish.rank('envio', 0).candidates).toEqual([]);
  });

  it('never lists a pronoun or article as a matched word', () => {
    expect(english.rank('how do i return an item').candidates[0]).toMatchObject({ id: 'returns' });
    expect(english.rank('how do i return an item').candidates[0].matched).toEqual(['return', 'item']);
  });

  it('builds the same matcher from the same examples', () => {
    const again = buildMatcher(examplesOf(SPANISH), { lang: 'es', synonyms: SYNONYMS });
    for (const question of ['cuanto tarda el envio', 'quiero cambiar la talla', 'gracias!']) {
      expect(again.rank(question, 5)).toEqual(spanish.rank(question, 5));
    }
  });

  it('keeps Spanish and English apart: each language has its own matcher, chosen by the message', () => {
    const route = (text: string) => (detectLanguage(text).lang === 'en' ? english : spanish);
    expect(route('how much is shipping?')).toBe(english);
    expect(route('¿cuánto cuesta el envío?')).toBe(spanish);
    expect(route('how much is shipping?').rank('how much is shipping?').candidates[0].id).toBe('shipping-cost');
    expect(english.labels).not.toContain('invoice');
  });
});
