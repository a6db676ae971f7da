import nodemailer, { type Transporter } from 'nodemailer';

/** SMTP settings from the config (smtpUrl, smtpFrom, smtpReplyTo). */
export interface MailSettings {
  smtpUrl?: string;
  smtpFrom?: string;
  smtpReplyTo?: string;
}

export interface OutgoingEmail {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html?: string;
}

/** Why a send failed, without the SMTP password; `code` is stable for the agent socket. */
export class MailError extends Error {
  constructor(
    readonly code: 'mail_not_configured' | 'mail_failed',
    message: string,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

export interface Mailer {
  readonly configured: boolean;
  /** Resolves with the Message-ID once the SMTP server accepted the message; rejects with a MailError. */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  close(): void;
}

const CONNECT_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

/** The one place that talks SMTP. With no smtpUrl it refuses every send (the console says so). */
export function createMailer(settings: MailSettings, log: (line: string) => void = () => {}): Mailer {
  if (!settings.smtpUrl || !settings.smtpFrom) {
    return {
      configured: false,
      send: () => Promise.reject(new MailError('mail_not_configured', 'E-mail is not configured (ATENTO_SMTP_URL is not set).')),
      close() {},
    };
  }
  const url = new URL(settings.smtpUrl);
  const password = decodeURIComponent(url.password);
  const transport: Transporter = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: password } : undefined,
    connectionTimeout: CONNECT_TIMEOUT_MS,
    greetingTimeout: CONNECT_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    logger: false,
  });
  const where = `${url.protocol}//${url.host}`;
  const redact = (text: string) => (password ? text.split(password).join('***') : text);
  return {
    configured: true,
    async send(email) {
      try {
        const info = await transport.sendMail({
          from: settings.smtpFrom,
          replyTo: settings.smtpReplyTo,
          to: email.to,
          subject: email.subject,
          text: email.text,
          html: email.html,
        });
        return { messageId: String(info.messageId) };
      } catch (error) {
        const reason = redact((error as Error).message);
        log(`mail: sending through ${where} failed: ${reason}`);
        throw new MailError('mail_failed', reason);
      }
    },
    close: () => transport.close(),
  };
}
