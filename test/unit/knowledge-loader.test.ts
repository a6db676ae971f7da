import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadKnowledge, parseEntries, parseSynonyms, findPlaceholders, renderPlaceholders, problemMessage } from '../../src/knowledge';

const GOOD = `# Envíos

## ¿Cuánto tarda el envío?
id: shipping-time
tags: envío, plazos
related: shipping-cost

### Phrasings
- cuanto demora el despacho
- en cuantos dias llega

### Answer
Llega en **[[3 a 5 días]]**.

## ¿Cuánto cuesta el envío?
id: shipping-cost
etiquetas: envío
escalar: no

### Frases
- costo del despacho

### Respuesta
Es gratis desde [[$999]].
`;

describe('parseEntries', () => {
  it('reads every field, the Spanish aliases and multi-line answers', () => {
    const { entries, problems } = parseEntries(GOOD, 'knowledge/es/envios.md', 'es', 'faq');
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      id: 'shipping-time',
      question: '¿Cuánto tarda el envío?',
      phrasings: ['cuanto demora el despacho', 'en cuantos dias llega'],
      tags: ['envío', 'plazos'],
      related: ['shipping-cost'],
      escalate: false,
      answer: 'Llega en **[[3 a 5 días]]**.',
      source: { file: 'knowledge/es/envios.md', line: 3 },
    });
    expect(entries[1]).toMatchObject({ id: 'shipping-cost', tags: ['envío'], phrasings: ['costo del despacho'] });
  });

  it('reports a missing id with file and line, and keeps the other entries', () => {
    const broken = GOOD.replace('id: shipping-time\n', '');
    const { entries, problems } = parseEntries(broken, 'envios.md', 'es', 'faq');
    expect(entries.map((e) => e.id)).toEqual(['shipping-cost']);
    expect(problems).toEqual([
      expect.objectContaining({ file: 'envios.md', line: 3, severity: 'error', message: expect.stringContaining('has no id: add a line such as "id: shipping-time"') }),
    ]);
  });

  it('explains unknown fields, bad ids, bad escalate values, non-list phrasings and missing answers', () => {
    const text = ['## Q1', 'id: Bad_Id', 'colour: red', 'escalate: maybe', '### Phrasings', 'not a list item', '### Answer', '', '## Q2', 'id: ok-entry', '### Answer', 'fine'].join('\n');
    const { entries, problems } = parseEntries(text, 'f.md', 'en', 'faq');
    expect(entries.map((e) => e.id)).toEqual(['ok-entry']);
    const messages = problems.map((p) => `${p.line}: ${p.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^2: id "Bad_Id" may only use lowercase letters/),
        expect.stringMatching(/^3: unknown field "colour"/),
        expect.stringMatching(/^4: escalate must be "true" or "false"/),
        expect.stringMatching(/^6: a phrasing must be a list item/),
        expect.stringMatching(/^1: entry "Bad_Id" has no answer/),
      ]),
    );
  });

  it('tells the same problems in Spanish for the knowledge page, with the same values', () => {
    const text = ['## Q1', 'id: Bad_Id', 'colour: red', 'escalate: maybe', '### Phrasings', 'not a list item', '### Answer', ''].join('\n');
    const told = parseEntries(text, 'f.md', 'es', 'faq').problems.map((p) => `${p.line}: ${problemMessage(p, 'es')}`);
    expect(told).toEqual([
      '3: campo desconocido "colour": los campos son id, etiquetas, relacionadas y escalar (o tags, related, escalate)',
      '6: cada frase va en una lista: empieza la línea con "- "',
      '2: el id "Bad_Id" solo puede tener minúsculas sin tilde, números y "-" (por ejemplo "tiempo-de-envio")',
      '1: la entrada "Bad_Id" no tiene respuesta: agrega "### Respuesta" y después el texto',
      '4: escalar debe ser "sí" o "no" (o "true" / "false"), no "maybe"',
    ]);
  });

  it('reads the first entry of a file saved with a byte-order mark (some Windows editors add one)', () => {
    const { entries, problems } = parseEntries('\uFEFF## ¿Hacen envíos?\nid: shipping\n\n### Respuesta\nSí.\n', 'es/envios.md', 'es', 'faq');
    expect(problems).toEqual([]);
    expect(entries.map((e) => [e.id, e.question, e.source.line])).toEqual([['shipping', '¿Hacen envíos?', 1]]);
  });

  it('marks escalate: true / sí as an exception topic', () => {
    const text = '## Roto\nid: damaged-item\nescalar: sí\n### Respuesta\nLo siento.';
    expect(parseEntries(text, 'f.md', 'es', 'faq').entries[0].escalate).toBe(true);
  });
});

describe('parseSynonyms', () => {
  it('reads groups with the canonical word first, skipping comments', () => {
    const { groups, problems } = parseSynonyms('# regional\nenvio: despacho, Entrega # comment\ncuotas: meses sin intereses, msi\n', 's.txt');
    expect(problems).toEqual([]);
    expect(groups).toEqual([['envio', 'despacho', 'entrega'], ['cuotas', 'meses sin intereses', 'msi']]);
  });

  it('reports a line without a colon and a word in two groups', () => {
    const { problems } = parseSynonyms('envio despacho\ndinero: plata\nplata: guita\n', 's.txt');
    expect(problems.map((p) => [p.line, p.severity])).toEqual([[1, 'error'], [3, 'warning']]);
  });
});

describe('placeholders', () => {
  it('lists demo facts and shows them to shoppers without brackets', () => {
    const { entries } = parseEntries(GOOD, 'envios.md', 'es', 'faq');
    expect(findPlaceholders(entries, { es: {}, en: {} }).map((p) => p.text)).toEqual(['3 a 5 días', '$999']);
    expect(renderPlaceholders('Gratis desde [[$999]].', {})).toBe('Gratis desde $999.');
  });

  it('fills [[key]] with the shop value; only demo values are listed as still to set', () => {
    const values = { demo: { text: '$3.990 CLP', demo: true, file: 'regions/cl.json' }, own: { text: 'Webpay', demo: false, file: 'shop.json' } };
    expect(renderPlaceholders('Despacho: [[demo]]; paga con [[own]]; [[otro dato]].', values)).toBe('Despacho: $3.990 CLP; paga con Webpay; otro dato.');
    const { entries } = parseEntries(GOOD.replace('[[$999]]', '[[demo]] y [[own]]'), 'envios.md', 'es', 'faq');
    expect(findPlaceholders(entries, { es: values, en: {} }).map((p) => [p.key, p.text])).toEqual([[undefined, '3 a 5 días'], ['demo', '$3.990 CLP']]);
  });
});

describe('loadKnowledge', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-kb-'));
    for (const dir of ['knowledge/es', 'knowledge/en', 'intents/es']) fs.mkdirSync(path.join(root, dir), { recursive: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => fs.writeFileSync(path.join(root, file), text);
  const load = () => loadKnowledge({ knowledgeDir: path.join(root, 'knowledge'), intentsDir: path.join(root, 'intents') });

  it('loads FAQs, intents and synonyms; one broken file does not stop the others', () => {
    write('knowledge/es/envios.md', GOOD);
    write('knowledge/es/roto.md', '## Sin id\n### Respuesta\nx');
    write('knowledge/es/synonyms.txt', 'envio: despacho\n');
    write('intents/es/saludo.md', '## Saludo\nid: greeting\n### Frases\n- hola\n### Respuesta\n¡Hola!');
    const kb = load();
    expect(kb.entries.map((e) => `${e.kind}:${e.id}`).sort()).toEqual(['faq:shipping-cost', 'faq:shipping-time', 'intent:greeting']);
    expect(kb.synonyms.es).toEqual([['envio', 'despacho']]);
    expect(kb.problems).toContainEqual(expect.objectContaining({ file: path.join(root, 'knowledge/es/roto.md'), line: 1, severity: 'error' }));
  });

  it('rejects a duplicate id, pointing at the first one, and warns about dangling related ids and missing translations', () => {
    write('knowledge/es/a.md', GOOD);
    write('knowledge/es/b.md', '## Otra\nid: shipping-time\nrelated: nope\n### Respuesta\nx');
    write('knowledge/en/a.md', '## Shipping time\nid: shipping-time\n### Answer\nx');
    const kb = load();
    const messages = kb.problems.map((p) => p.message);
    expect(kb.entries.filter((e) => e.id === 'shipping-time' && e.lang === 'es')).toHaveLength(1);
    expect(messages).toContainEqual(expect.stringContaining(`is already used in ${path.join(root, 'knowledge/es/a.md')}:4`));
    expect(messages).toContainEqual(expect.stringContaining('"shipping-cost" has no translation in en'));
  });

  it('points each warning at the line to change: the shared phrasing, the related field, the id', () => {
    write('knowledge/es/a.md', GOOD);
    write('knowledge/es/b.md', '## Otra pregunta\nid: other\nrelated: nope\n\n### Frases\n- algo distinto\n- Costo del despacho\n### Respuesta\nx');
    write('knowledge/es/c.md', '# Repetida\n\n## Repetida\nid: shipping-cost\n### Respuesta\nx');
    const where = (code: string) => load().problems.filter((p) => p.code === code).map((p) => `${path.basename(p.file)}:${p.line}`);
    expect(where('phrasing_shared')).toEqual(['b.md:7']);
    expect(where('related_missing')).toEqual(['b.md:3']);
    expect(where('id_taken')).toEqual(['c.md:4']);
  });

  it('changes its version when a file changes', () => {
    write('knowledge/es/a.md', GOOD);
    const before = load().version;
    write('knowledge/es/a.md', GOOD.replace('3 a 5', '2 a 4'));
    expect(load().version).not.toBe(before);
  });

  it('refuses an answer over 5,000 characters at its heading (each question would send and store it), and takes one of 5,000', () => {
    const entry = (id: string, answer: string) => `## ${id}\nid: ${id}\n### Frases\n- uno\n- dos\n- tres\n### Respuesta\n${answer}\n`;
    write('knowledge/es/largo.md', entry('justo', 'a'.repeat(5000)) + entry('enorme', 'b'.repeat(5001)));
    const problems = load().problems.filter((p) => p.severity === 'error');
    expect(problems).toEqual([
      expect.objectContaining({ file: path.join(root, 'knowledge/es/largo.md'), line: 15, message: 'the answer of "enorme" has 5001 characters, more than 5000: shorten it or link to a page with the details' }),
    ]);
  });

  it('points a file that is not UTF-8 at the line of its first broken byte', () => {
    fs.writeFileSync(path.join(root, 'knowledge/es/latin1.md'), Buffer.concat([Buffer.from('## Envío\nid: envio\n'), Buffer.from('### Respuesta\nLlega en 3 d\xEDas\n', 'latin1')]));
    expect(load().problems).toEqual([expect.objectContaining({ line: 4, severity: 'error', message: expect.stringMatching(/^not UTF-8 text/) })]);
  });

  it('reports a missing folder instead of throwing', () => {
    const kb = loadKnowledge({ knowledgeDir: path.join(root, 'nope'), intentsDir: path.join(root, 'intents') });
    expect(kb.problems[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('folder not found') });
  });
});
