import type { Request } from 'express';
import { WhatsAppAdapter } from '../../src/channels/providers/whatsapp-adapter';
import { twilioSignature } from '../helpers/fake-provider';

/**
 * Twilio re-sends a webhook answered 500 only with a retry policy in the URL's fragment
 * (`#rc=3&rp=ct,rt,5xx`). Whether its signature covers the fragment is not documented, so both are taken.
 */

const AUTH_TOKEN = 'twilio-auth-token-for-tests-0123456789';
const BASE = 'https://chat.tienda.example/channels/whatsapp';
const fields = { From: 'whatsapp:+5215512345678', Body: 'hola', MessageSid: 'SM1' };
const request = (signature: string) => ({ get: (name: string) => (name === 'x-twilio-signature' ? signature : undefined), body: fields }) as unknown as Request;
const adapter = (webhookUrl: string) => new WhatsAppAdapter({ accountSid: 'AC1', authToken: AUTH_TOKEN, from: 'whatsapp:+14155238886', webhookUrl, apiUrl: 'https://api.twilio.com' });

test('with connection overrides in the URL, a signature of the URL with or without them is accepted, any other refused', () => {
  const withOverrides = adapter(`${BASE}#rc=3&rp=ct,rt,5xx`);
  expect(withOverrides.isSigned(request(twilioSignature(AUTH_TOKEN, `${BASE}#rc=3&rp=ct,rt,5xx`, fields)))).toBe(true);
  expect(withOverrides.isSigned(request(twilioSignature(AUTH_TOKEN, BASE, fields)))).toBe(true);
  expect(withOverrides.isSigned(request(twilioSignature(AUTH_TOKEN, 'https://evil.example/channels/whatsapp', fields)))).toBe(false);
  expect(withOverrides.isSigned(request(twilioSignature('another-token-0123456789abcdef', BASE, fields)))).toBe(false);
});

test('without overrides, only the URL as configured', () => {
  expect(adapter(BASE).isSigned(request(twilioSignature(AUTH_TOKEN, BASE, fields)))).toBe(true);
  expect(adapter(BASE).isSigned(request(twilioSignature(AUTH_TOKEN, `${BASE}#rc=3`, fields)))).toBe(false);
});
