import { whatsappNumber } from '../../src/channels/providers/addresses';
import { formatMarkdown, pickedNumber, renderMessage, splitMessage, WHATSAPP_MAX_CHARS } from '../../src/channels/providers/render';
import { loadConfig } from '../../src/config';
import type { StoredMessage } from '../../src/store';

const message = (fields: Partial<StoredMessage>): StoredMessage => ({
  id: 1,
  conversationId: 'c',
  sender: 'bot',
  kind: 'text',
  text: '',
  lang: 'es',
  entryId: null,
  action: null,
  confidence: null,
  options: [],
  related: [],
  replyTo: null,
  authorName: null,
  clientMessageId: null,
  via: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...fields,
});

describe('markdown on WhatsApp and Messenger', () => {
  const answer = '## Envíos\n\nEl envío es **gratis** desde $999 y tarda *3 a 5 días*.\n\n- Estándar\n- Express: [ver tarifas](https://tienda.example/envios)';

  test('WhatsApp: *bold*, _italic_, bullets, links spelled out', () => {
    expect(formatMarkdown(answer, 'whatsapp')).toBe(
      '*Envíos*\n\nEl envío es *gratis* desde $999 y tarda _3 a 5 días_.\n\n• Estándar\n• Express: ver tarifas (https://tienda.example/envios)',
    );
  });

  test('Messenger: plain text', () => {
    expect(formatMarkdown(answer, 'plain')).toBe('Envíos\n\nEl envío es gratis desde $999 y tarda 3 a 5 días.\n\n• Estándar\n• Express: ver tarifas (https://tienda.example/envios)');
  });

  test('snake_case words and prices with asterisks are left alone', () => {
    expect(formatMarkdown('usa el cupón MI_CUPON_10 * solo hoy', 'whatsapp')).toBe('usa el cupón MI_CUPON_10 * solo hoy');
  });
});

test('options become numbered lines with how to answer; the rating question asks for 1 to 5', () => {
  const clarify = message({ text: '¿Cuál de estas preguntas se parece más a la tuya?', options: [{ id: 'a', label: '¿Cuánto cuesta el envío?' }, { id: 'b', label: '¿Cuánto tarda?' }] });
  expect(renderMessage(clarify, 'whatsapp', 'es')).toBe(
    '¿Cuál de estas preguntas se parece más a la tuya?\n\n1. ¿Cuánto cuesta el envío?\n2. ¿Cuánto tarda?\n\nResponde con el número de la opción.',
  );
  const csat = message({ text: '¿Cómo te atendimos?…', options: [1, 2, 3, 4, 5].map((n) => ({ id: `csat:${n}`, label: String(n) })) });
  expect(renderMessage(csat, 'whatsapp', 'es')).toBe('¿Cómo te atendimos? Responde del 1 (mal) al 5 (excelente).');
  expect(renderMessage(message({ sender: 'agent', authorName: 'Ana', text: 'Hola' }), 'whatsapp', 'es')).toBe('*Ana:* Hola');
});

test('a digit picks an option; anything else is text', () => {
  expect(['2', ' 2 ', '2.', '2)'].map(pickedNumber)).toEqual([2, 2, 2, 2]);
  expect(['2 pares', 'dos', '48213', ''].map(pickedNumber)).toEqual([null, null, null, null]);
});

describe('splitting at the provider\'s limit', () => {
  test('at paragraph breaks first, each piece within the limit, nothing lost', () => {
    const paragraph = 'Frase de relleno para el párrafo. '.repeat(20).trim();
    const text = Array.from({ length: 5 }, () => paragraph).join('\n\n');
    const pieces = splitMessage(text, WHATSAPP_MAX_CHARS);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((piece) => piece.length <= WHATSAPP_MAX_CHARS)).toBe(true);
    expect(pieces.every((piece) => piece.endsWith('párrafo.'))).toBe(true);
    expect(pieces.join('\n\n')).toBe(text);
  });

  test('one long paragraph at the end of a sentence; a text without spaces where it must', () => {
    const sentences = 'Esta es una oración bastante larga que sigue. '.repeat(60).trim();
    const pieces = splitMessage(sentences, 500);
    expect(pieces.every((piece) => piece.length <= 500 && piece.endsWith('sigue.'))).toBe(true);
    expect(splitMessage('x'.repeat(1200), 500).map((piece) => piece.length)).toEqual([500, 500, 200]);
  });

  test('a short message is one piece', () => {
    expect(splitMessage('Hola', WHATSAPP_MAX_CHARS)).toEqual(['Hola']);
  });
});

test('WhatsApp numbers are stored as + and digits', () => {
  expect(whatsappNumber('whatsapp:+5215512345678')).toBe('+5215512345678');
  expect(whatsappNumber('+52 1 55 1234 5678')).toBe('+5215512345678');
  expect(whatsappNumber('hola')).toBeNull();
});

describe('channel configuration', () => {
  const whatsapp = {
    ATENTO_WHATSAPP_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
    ATENTO_WHATSAPP_AUTH_TOKEN: 'x'.repeat(32),
    ATENTO_WHATSAPP_FROM: '+14155238886',
    ATENTO_WHATSAPP_WEBHOOK_URL: 'https://chat.shop.example/channels/whatsapp',
  };

  test('off unless configured', () => {
    const config = loadConfig({});
    expect(config.whatsapp).toBeUndefined();
    expect(config.messenger).toBeUndefined();
  });

  test('WhatsApp from environment variables, with Twilio\'s API by default', () => {
    expect(loadConfig(whatsapp).whatsapp).toEqual({
      accountSid: `AC${'a'.repeat(32)}`,
      authToken: 'x'.repeat(32),
      from: 'whatsapp:+14155238886',
      webhookUrl: 'https://chat.shop.example/channels/whatsapp',
      apiUrl: 'https://api.twilio.com',
    });
  });

  test('a half-configured channel names the variables that are missing', () => {
    const { ATENTO_WHATSAPP_WEBHOOK_URL: _url, ...partial } = whatsapp;
    expect(() => loadConfig(partial)).toThrow(/missing: set ATENTO_WHATSAPP_WEBHOOK_URL \(the public URL of \/channels\/whatsapp/);
    expect(() => loadConfig({ ATENTO_MESSENGER_APP_SECRET: 'x'.repeat(32) })).toThrow(/missing: set ATENTO_MESSENGER_PAGE_TOKEN[\s\S]*missing: set ATENTO_MESSENGER_VERIFY_TOKEN/);
    expect(() => loadConfig({ ...whatsapp, ATENTO_WHATSAPP_ACCOUNT_SID: 'SK123' })).toThrow(/a Twilio Account SID is "AC" followed by 32 hex digits/);
  });
});
