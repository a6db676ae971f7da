/**
 * A WhatsApp number as Atento stores it: "+" and digits (E.164), from Twilio's "whatsapp:+52 1 55…" or
 * what an operator types ("+52 1 55 1234 5678"). Null when it is not a number.
 */
export function whatsappNumber(raw: string): string | null {
  const digits = raw.trim().replace(/^whatsapp:/i, '').replace(/[\s().-]/g, '');
  return /^\+?\d{6,15}$/.test(digits) ? `+${digits.replace(/^\+/, '')}` : null;
}
