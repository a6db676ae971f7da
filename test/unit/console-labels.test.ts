import { visitorTag } from '../../src/handoff/views';
import { actionLabel, distinctNames, presenceLabel, reasonLabel, shopperName } from '../../web-widget/console/src/dom';

/** What an agent reads instead of internal ids: case labels, the bot's action, the shopper's presence. */

test.each([
  ['button', undefined, 'Pidió una persona (botón)'],
  ['human-request', undefined, 'Pidió una persona'],
  ['complaint', undefined, 'Queja'],
  ['negative-sentiment', undefined, 'Cliente molesto'],
  ['low-confidence', undefined, 'El bot no entendió'],
  ['faq:damaged-item', 'Mi producto llegó dañado, defectuoso o no es el que pedí', 'Mi producto llegó dañado, defectuoso o no es el que pedí'],
  // An entry deleted since the handoff: still no internal id on screen.
  ['faq:gone-entry', undefined, 'Caso del bot'],
])('case %s reads "%s"', (reason, title, label) => {
  expect(reasonLabel(reason, title)).toBe(label);
});

test('the bot\'s actions in the agent\'s words', () => {
  expect(['answer', 'clarify', 'escalate', 'fallback'].map(actionLabel)).toEqual(['respondió', 'pidió aclarar', 'pasó a una persona', 'no entendió']);
});

test('presence: online, just left, minutes ago, or not seen since the server started', () => {
  const now = Date.parse('2026-12-04T10:00:00Z');
  expect(presenceLabel({ online: true, leftAt: '2026-12-04T09:00:00Z' }, now)).toBe('en línea');
  expect(presenceLabel({ online: false, leftAt: '2026-12-04T09:59:30Z' }, now)).toBe('se fue hace un momento');
  expect(presenceLabel({ online: false, leftAt: '2026-12-04T09:57:00Z' }, now)).toBe('se fue hace 3 min');
  expect(presenceLabel({ online: false, leftAt: '2026-12-04T08:30:00Z' }, now)).toBe('se fue hace 1 h 30 min');
  expect(presenceLabel({ online: false, leftAt: null }, now)).toBe('desconectado');
});

test('an anonymous shopper is a visitor with a tag, a named one is their name', () => {
  expect(shopperName({ displayName: null, visitorTag: '4F2' })).toBe('Visitante 4F2');
  expect(shopperName({ displayName: 'Marta Díaz', visitorTag: '4F2' })).toBe('Marta Díaz');
});

test('two chats on screen never read the same: a shared visitor tag or name gets a longer tag', () => {
  const item = (conversationId: string, displayName: string | null) => ({ conversationId, shopper: { displayName, visitorTag: visitorTag(conversationId) } });
  const names = distinctNames([
    item('86c1a2b4-0000-4000-8000-000000000001', null),
    item('86ca9f00-0000-4000-8000-000000000002', null),
    item('4f20aaaa-0000-4000-8000-000000000003', null),
    item('aaaa0001-0000-4000-8000-000000000004', 'Ana'),
    item('bbbb0002-0000-4000-8000-000000000005', 'Ana'),
  ]);
  expect([...names.values()]).toEqual(['Visitante 86C1A2', 'Visitante 86CA9F', 'Visitante 4F2', 'Ana (AAAA00)', 'Ana (BBBB00)']);
});
