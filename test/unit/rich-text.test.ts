import { parseInline, parseRichText } from '../../web-widget/src/rich-text';

describe('the widget’s answer formatting', () => {
  it('keeps HTML as plain text: a message can never become markup', () => {
    expect(parseInline('<img src=x onerror="alert(1)"> hola')).toEqual([{ kind: 'text', text: '<img src=x onerror="alert(1)"> hola' }]);
  });

  it('turns **bold**, *italics* and http(s) links into parts, and nothing else', () => {
    expect(parseInline('Envío **gratis** desde *hoy*: [ver](https://shop.example/envios)')).toEqual([
      { kind: 'text', text: 'Envío ' },
      { kind: 'bold', text: 'gratis' },
      { kind: 'text', text: ' desde ' },
      { kind: 'italic', text: 'hoy' },
      { kind: 'text', text: ': ' },
      { kind: 'link', text: 'ver', href: 'https://shop.example/envios' },
    ]);
  });

  it('refuses javascript: links', () => {
    expect(parseInline('[clic](javascript:alert(1))')).toEqual([{ kind: 'text', text: '[clic](javascript:alert(1))' }]);
  });

  it('splits paragraphs and "- " or "1. " lists', () => {
    const blocks = parseRichText('Opciones:\n- Estándar: $99\n- Express\n\n1. Paso uno\n2. Paso dos');
    expect(blocks).toEqual([
      { kind: 'paragraph', lines: [[{ kind: 'text', text: 'Opciones:' }]] },
      { kind: 'list', ordered: false, items: [[{ kind: 'text', text: 'Estándar: $99' }], [{ kind: 'text', text: 'Express' }]] },
      { kind: 'list', ordered: true, items: [[{ kind: 'text', text: 'Paso uno' }], [{ kind: 'text', text: 'Paso dos' }]] },
    ]);
  });
});
