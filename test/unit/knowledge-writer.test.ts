import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addPhrasings, appendFaq, BACKUPS_KEPT, KnowledgeEditError, knowledgeEditor, KnowledgeRejectedError, parseEntries } from '../../src/knowledge';

/** Writing edits into knowledge files: only the lines added change; bad input is refused and nothing is written. */

const ENVIOS = `# Envíos

Texto de introducción que el bot ignora.

## ¿Cuánto tarda el envío?
id: shipping-time
tags: envío

### Frases
- cuanto demora el despacho
- en cuantos dias llega

### Respuesta
Llega en **3 a 5 días**.

- lista en la respuesta

## ¿Cuánto cuesta el envío?
id: shipping-cost

### Respuesta
Es gratis desde $999.
`;

/** The text with the lines at `inserted` (0-based, in the result) taken out. */
function without(text: string, inserted: number[]): string {
  const lines = text.split('\n');
  return lines.filter((_, i) => !inserted.includes(i)).join('\n');
}

const entries = (text: string, lang: 'es' | 'en' = 'es') => parseEntries(text, 'x.md', lang, 'faq');

describe('addPhrasings', () => {
  it('adds after the entry\'s last phrasing and leaves every other byte as it was', () => {
    const { text, added } = addPhrasings(ENVIOS, 'shipping-time', ['¿en cuánto llega mi pedido?', 'tiempo de entrega']);
    expect(added).toEqual(['¿en cuánto llega mi pedido?', 'tiempo de entrega']);
    expect(text.split('\n').slice(11, 13)).toEqual(['- ¿en cuánto llega mi pedido?', '- tiempo de entrega']);
    expect(without(text, [11, 12])).toBe(ENVIOS);
    const parsed = entries(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries[0]!.phrasings).toEqual(['cuanto demora el despacho', 'en cuantos dias llega', '¿en cuánto llega mi pedido?', 'tiempo de entrega']);
    expect(parsed.entries[0]!.answer).toBe(entries(ENVIOS).entries[0]!.answer);
    expect(parsed.entries[1]).toEqual({ ...entries(ENVIOS).entries[1], source: { file: 'x.md', line: 20, idLine: 21, phrasingLines: [] } }); // two lines further down
  });

  it('starts a phrasings section, named like the file\'s, for an entry without one', () => {
    const { text } = addPhrasings(ENVIOS, 'shipping-cost', ['precio del envio']);
    const lines = text.split('\n');
    const at = lines.indexOf('### Frases', 20);
    expect(lines.slice(at, at + 3)).toEqual(['### Frases', '- precio del envio', '']);
    expect(without(text, [at, at + 1, at + 2])).toBe(ENVIOS);
    expect(entries(text).entries[1]!.phrasings).toEqual(['precio del envio']);
  });

  it('keeps Windows line endings', () => {
    const crlf = ENVIOS.replace(/\n/g, '\r\n');
    const { text } = addPhrasings(crlf, 'shipping-time', ['tiempo de entrega']);
    expect(text).toBe(addPhrasings(ENVIOS, 'shipping-time', ['tiempo de entrega']).text.replace(/\n/g, '\r\n'));
  });

  it('skips phrasings the entry already has, whatever the case, accents or punctuation', () => {
    const { text, added } = addPhrasings(ENVIOS, 'shipping-time', ['Cuánto demora el despacho?', '¿Cuánto tarda el envío?', 'nuevo']);
    expect(added).toEqual(['nuevo']);
    expect(entries(text).entries[0]!.phrasings).toHaveLength(3);
  });

  it('refuses an unknown id, a phrasing of two lines and one that would be a heading', () => {
    expect(() => addPhrasings(ENVIOS, 'returns', ['x'])).toThrow(/no entry with id "returns"/);
    expect(() => addPhrasings(ENVIOS, 'shipping-time', ['uno\ndos'])).toThrow(KnowledgeEditError);
    expect(() => addPhrasings(ENVIOS, 'shipping-time', ['## otra entrada'])).toThrow(/may not start with "#"/);
  });

  it('adds to the first entry of a file with a byte-order mark and keeps the mark', () => {
    const withoutTitle = ENVIOS.slice(ENVIOS.indexOf('## '));
    const { text, added } = addPhrasings(`\uFEFF${withoutTitle}`, 'shipping-time', ['tiempo de entrega']);
    expect(added).toEqual(['tiempo de entrega']);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(parseEntries(text, 'f', 'es', 'faq').entries.find((e) => e.id === 'shipping-time')!.phrasings).toContain('tiempo de entrega');
  });

  it('refuses a lone surrogate, which would reach the disk as U+FFFD and make the whole file unreadable', () => {
    expect(() => addPhrasings(ENVIOS, 'shipping-time', ['envío \ud800'])).toThrow(/broken character/);
    expect(() => appendFaq(ENVIOS, { id: 'x', question: 'Q', phrasings: [], answer: 'A \udfff' }, 'es')).toThrow(/broken character/);
    expect(addPhrasings(ENVIOS, 'shipping-time', ['envío 📦']).added).toEqual(['envío 📦']);
  });
});

describe('appendFaq', () => {
  const faq = { id: 'gift-cards', question: '¿Venden tarjetas de regalo?', phrasings: ['tarjeta de regalo', 'gift card'], answer: 'Sí, desde **$200**.\n\nSe envían por correo.' };

  it('appends to a Spanish file with its section names; what was there stays byte for byte', () => {
    const text = appendFaq(ENVIOS, faq, 'es');
    expect(text.startsWith(ENVIOS)).toBe(true);
    expect(text.slice(ENVIOS.length)).toBe('\n## ¿Venden tarjetas de regalo?\nid: gift-cards\n\n### Frases\n- tarjeta de regalo\n- gift card\n\n### Respuesta\nSí, desde **$200**.\n\nSe envían por correo.\n');
    const parsed = entries(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.entries.map((e) => e.id)).toEqual(['shipping-time', 'shipping-cost', 'gift-cards']);
    expect(parsed.entries[2]).toMatchObject({ question: faq.question, phrasings: faq.phrasings, answer: faq.answer });
  });

  it('makes a new English file with English section names, and adds a line ending a file lacked', () => {
    const english = appendFaq('', { ...faq, question: 'Do you sell gift cards?', answer: 'Yes.' }, 'en');
    expect(english).toContain('### Phrasings\n');
    expect(entries(english, 'en').entries[0]).toMatchObject({ id: 'gift-cards', answer: 'Yes.' });
    const noEol = ENVIOS.trimEnd();
    expect(appendFaq(noEol, faq, 'es').startsWith(`${noEol}\n\n## ¿Venden`)).toBe(true);
  });

  it('refuses an answer line that would start another entry or section, and an empty answer', () => {
    expect(() => appendFaq(ENVIOS, { ...faq, answer: 'Sí.\n## Otra pregunta' }, 'es')).toThrow(/starts with "## "/);
    expect(() => appendFaq(ENVIOS, { ...faq, answer: 'Sí.\n### Frases\n- x' }, 'es')).toThrow(KnowledgeEditError);
    expect(() => appendFaq(ENVIOS, { ...faq, answer: '  ' }, 'es')).toThrow(/answer is empty/);
  });
});

describe('knowledgeEditor on a real folder', () => {
  let root: string;
  let editor: ReturnType<typeof knowledgeEditor>;
  const file = () => path.join(root, 'knowledge/es/envios.md');
  const backups = () => (fs.existsSync(path.join(root, 'knowledge/.backups')) ? fs.readdirSync(path.join(root, 'knowledge/.backups'), { recursive: true, encoding: 'utf8' }) : []);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'atento-writer-'));
    fs.mkdirSync(path.join(root, 'knowledge/es'), { recursive: true });
    fs.mkdirSync(path.join(root, 'knowledge/en'), { recursive: true });
    fs.mkdirSync(path.join(root, 'intents/es'), { recursive: true });
    fs.writeFileSync(file(), ENVIOS);
    editor = knowledgeEditor({ knowledgeDir: path.join(root, 'knowledge'), intentsDir: path.join(root, 'intents') }, () => new Date('2026-12-04T05:30:00.000Z'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes the new text, keeps the previous version in .backups and leaves no temporary file', () => {
    const result = editor.addPhrasings({ id: 'shipping-time', lang: 'es', phrasings: ['tiempo de entrega'] }, file());
    expect(result.files).toEqual([{ file: 'es/envios.md', backup: '.backups/es/envios.2026-12-04T05-30-00-000Z.md' }]);
    expect(fs.readFileSync(path.join(root, 'knowledge', result.files[0]!.backup!), 'utf8')).toBe(ENVIOS);
    expect(fs.readFileSync(file(), 'utf8')).toContain('- tiempo de entrega\n');
    expect(fs.readdirSync(path.join(root, 'knowledge/es'))).toEqual(['envios.md']);
  });

  it('creates a FAQ in both languages at once', () => {
    const result = editor.createFaq({
      id: 'gift-cards',
      languages: {
        es: { question: '¿Venden tarjetas de regalo?', phrasings: ['tarjeta de regalo'], answer: 'Sí.', file: 'es/envios.md' },
        en: { question: 'Do you sell gift cards?', phrasings: ['gift card'], answer: 'Yes.', file: 'en/new.md' },
      },
    });
    expect(result.files.map((f) => [f.file, f.backup !== null])).toEqual([['es/envios.md', true], ['en/new.md', false]]);
    expect(fs.readFileSync(path.join(root, 'knowledge/en/new.md'), 'utf8')).toContain('## Do you sell gift cards?\nid: gift-cards\n');
  });

  it('refuses an edit that leaves the knowledge base with errors, with file:line, and writes nothing', () => {
    let error: unknown;
    try {
      editor.createFaq({ id: 'shipping-time', languages: { es: { question: 'Otra', phrasings: [], answer: 'x', file: 'es/otra.md' } } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KnowledgeRejectedError);
    expect((error as KnowledgeRejectedError).problems[0]).toMatchObject({ file: 'es/otra.md', line: 2, severity: 'error', message: expect.stringMatching(/id "shipping-time" is already used in es\/envios\.md:6/) });
    expect(fs.existsSync(path.join(root, 'knowledge/es/otra.md'))).toBe(false);
    expect(fs.readFileSync(file(), 'utf8')).toBe(ENVIOS);
    expect(backups()).toEqual([]);
  });

  it('writes only .md files inside the language folder', () => {
    const faq = (file: string) => () => editor.createFaq({ id: 'x-y', languages: { es: { question: 'Q', phrasings: [], answer: 'A', file } } });
    fs.symlinkSync(os.tmpdir(), path.join(root, 'knowledge/es/fuera'));
    for (const bad of ['es/../../intents/es/x.md', '../intents/es/x.md', '/etc/x.md', 'en/x.md', 'es/.backups/x.md', 'es/notas.txt', 'es/fuera/x.md', 'es\\..\\..\\x.md']) {
      expect(faq(bad)).toThrow(KnowledgeEditError);
    }
    expect(() => editor.addPhrasings({ id: 'greeting', lang: 'es', phrasings: ['x'] }, path.join(root, 'intents/es/saludo.md'))).toThrow(KnowledgeEditError);
    expect(fs.readdirSync(path.join(root, 'intents/es'))).toEqual([]);
  });

  it('refuses a file name with a control character before writing either language (no half-made FAQ)', () => {
    for (const bad of ['en/x\u0000.md', 'en/a\u0007b.md']) {
      expect(() =>
        editor.createFaq({
          id: 'gift-cards',
          languages: {
            es: { question: '¿Venden tarjetas de regalo?', phrasings: [], answer: 'Sí.', file: 'es/envios.md' },
            en: { question: 'Do you sell gift cards?', phrasings: [], answer: 'Yes.', file: bad },
          },
        }),
      ).toThrow(KnowledgeEditError);
    }
    expect(fs.readFileSync(file(), 'utf8')).toBe(ENVIOS);
    expect(fs.readdirSync(path.join(root, 'knowledge/en'))).toEqual([]);
    expect(backups()).toEqual([]);
  });

  it('two edits of a file in the same millisecond keep both earlier versions', () => {
    editor.addPhrasings({ id: 'shipping-time', lang: 'es', phrasings: ['tiempo de entrega'] }, file());
    const second = editor.addPhrasings({ id: 'shipping-time', lang: 'es', phrasings: ['plazo de entrega'] }, file());
    expect(backups().filter((name) => name.endsWith('.md')).length).toBe(2);
    expect(second.files[0]!.backup).not.toBe('.backups/es/envios.2026-12-04T05-30-00-000Z.md');
    expect(fs.readFileSync(path.join(root, 'knowledge/.backups/es/envios.2026-12-04T05-30-00-000Z.md'), 'utf8')).toBe(ENVIOS);
    expect(fs.readFileSync(path.join(root, 'knowledge', second.files[0]!.backup!), 'utf8')).toContain('- tiempo de entrega\n');
  });

  it(`keeps the newest ${BACKUPS_KEPT} backups of a file and deletes older ones, never another file's`, () => {
    fs.mkdirSync(path.join(root, 'knowledge/.backups/es'), { recursive: true });
    const otherFile = path.join(root, 'knowledge/.backups/es/pagos.2026-01-01T00-00-00-000Z.md');
    fs.writeFileSync(otherFile, 'otro archivo');
    let minute = 0;
    const moving = knowledgeEditor({ knowledgeDir: path.join(root, 'knowledge'), intentsDir: path.join(root, 'intents') }, () => new Date(Date.UTC(2026, 11, 4, 6, minute++)));
    const written: string[] = [];
    for (let i = 0; i < BACKUPS_KEPT + 5; i++) written.push(moving.addPhrasings({ id: 'shipping-time', lang: 'es', phrasings: [`plazo número ${i}`] }, file()).files[0]!.backup!);
    const left = backups().filter((name) => name.startsWith('es/envios.')).map((name) => `.backups/${name}`);
    expect(left.sort()).toEqual(written.slice(-BACKUPS_KEPT).sort());
    expect(fs.readFileSync(path.join(root, 'knowledge', written.at(-1)!), 'utf8')).toContain('- plazo número 23\n');
    expect(fs.existsSync(otherFile)).toBe(true);
  });
});
