import { buildAnalyzer, buildSynonyms, detectLanguage, normalize, typoCost, words } from '../../src/nlp';
import { foldForSearch } from '../../src/nlp/search-fold';

describe('normalize', () => {
  it.each([
    ['¿Cuánto tarda el envío?', 'cuanto tarda el envio'],
    ['¡Holaaa!! 😀', 'hola'],
    ['Olvidé mi CONTRASEÑA', 'olvide mi contrasena'],
    ['llega en 2días?', 'llega en 2 dias'],
    ['cuesta $1.500,00', 'cuesta 150000'],
    ["what's   my order's status…", 'whats my orders status'],
    ['   ', ''],
    ['mmm… ok', 'mm ok'],
    ['talla Mmmm', 'talla mm'],
    ['👍🏽', 'ok'],
    ['gracias 🙏🙏', 'gracias gracias gracias'],
  ])('%j → %j', (input, expected) => {
    expect(normalize(input)).toBe(expected);
  });

  it('keeps the double letters Spanish spells with ("llegar", "carro")', () => {
    expect(normalize('llegar carro')).toBe('llegar carro');
  });
});

describe('detectLanguage', () => {
  it.each([
    ['hola', 'es'],
    ['gracias', 'es'],
    ['buenas tardes', 'es'],
    ['¿dónde está mi pedido?', 'es'],
    ['hi', 'en'],
    ['thanks', 'en'],
    ['where is my order', 'en'],
  ])('%j is %s', (text, lang) => {
    const detected = detectLanguage(text);
    expect(detected.lang).toBe(lang);
    expect(detected.confidence).toBeGreaterThan(0);
    expect(detected.confidence).toBeLessThanOrEqual(1);
  });

  it.each(['ok', '123', 'no', '', '👍', 'email'])('gives no language for %j, which both languages use', (text) => {
    expect(detectLanguage(text)).toEqual({ lang: null, confidence: 0 });
  });

  it('is surer of a sentence than of a single word', () => {
    expect(detectLanguage('hola quiero saber donde esta mi pedido').confidence).toBeGreaterThan(detectLanguage('hola').confidence);
  });
});

describe('synonyms', () => {
  const synonyms = buildSynonyms([
    ['factura', 'boleta', 'comprobante'],
    ['cuotas', 'meses sin intereses', 'msi'],
    ['envío', 'despacho'],
  ]);

  it('replaces each variant, word or phrase, by the first word of its group', () => {
    expect(synonyms.apply('pagar en meses sin intereses con boleta')).toBe('pagar en cuotas con factura');
  });

  it('matches variants written with or without accents, on whole words only', () => {
    expect(synonyms.apply('cuanto tarda el despacho')).toBe('cuanto tarda el envio');
    expect(synonyms.apply('boletas msix')).toBe('boletas msix');
  });

  it('gives the same words from a word list, a phrase cut short at the end included, and a canonical phrase split into its words', () => {
    const phrases = buildSynonyms([['tarjeta de credito', 'tdc', 'credit card']]);
    for (const text of ['pagar en meses sin intereses con boleta', 'tres meses sin', 'msi o meses sin intereses', 'meses', '']) {
      expect(synonyms.applyToWords(words(text))).toEqual(words(synonyms.apply(text)));
    }
    expect(phrases.applyToWords(['pago', 'con', 'tdc', 'o', 'credit', 'card'])).toEqual(['pago', 'con', 'tarjeta', 'de', 'credito', 'o', 'tarjeta', 'de', 'credito']);
  });
});

describe('typo repair', () => {
  const analyzer = buildAnalyzer(
    ['como hago una devolucion', 'quiero un reembolso', 'olvidé mi contraseña', 'necesito la factura', 'cuanto cuesta, que precio tiene', 'tienen zapatillas'],
    { lang: 'es' },
  );

  it.each([
    ['debolución', 'devolucion'],
    ['reembolzo', 'reembolso'],
    ['factrua', 'factura'],
  ])('repairs %j to the known word %j', (typed, known) => {
    const analysis = analyzer.analyze(typed);
    expect(analysis.corrections).toEqual([{ from: normalize(typed), to: known }]);
    expect(analysis.words).toEqual([known]);
  });

  it('needs no repair for a missing ñ or accent: "contrasena" is "contraseña"', () => {
    expect(analyzer.analyze('contrasena')).toMatchObject({ corrections: [], words: ['contrasena'] });
  });

  it('never repairs a word into a stop word: "perro" is no slip of "pero"', () => {
    const withPero = buildAnalyzer(['quiero devolverlo pero no tengo la boleta'], { lang: 'es' });
    expect(withPero.analyze('mi perro no come')).toMatchObject({ corrections: [], words: ['mi', 'perro', 'no', 'come'] });
  });

  it.each(['premio', 'zapatos', 'facturas', 'precios'])('leaves %j alone: a real word, or a form of a known one', (word) => {
    expect(analyzer.analyze(word).corrections).toEqual([]);
  });

  it('counts slips of the fingers as cheaper than other edits', () => {
    expect(typoCost('factrua', 'factura')).toBe(1); // swapped letters
    expect(typoCost('debolucion', 'devolucion')).toBe(1); // b/v sound alike
    expect(typoCost('contraseba', 'contrasena')).toBe(1); // b is next to n
    expect(typoCost('premio', 'precio')).toBe(2); // m is nowhere near c
    expect(typoCost('tarea', 'tarda')).toBe(2); // e is next to d, but short words differ that way too often
  });
});

describe("the console search's fold", () => {
  it('drops case and accents letter for letter, composed or not, and leaves the rest', () => {
    expect(foldForSearch('NÚÑEZ López, envío nº 4821')).toBe('nunez lopez, envio nº 4821');
    expect(foldForSearch('envi\u0301o')).toBe('envio');
    expect(foldForSearch('Ação € 日本').length).toBe('Ação € 日本'.length);
  });
});
