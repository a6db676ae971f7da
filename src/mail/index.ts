import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** Sends the team's e-mail (ticket replies). `configured` false: every send is refused up front. */
export interface Mailer {
  readonly configured: boolean;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export interface MailSettings {
  smtpUrl?: string;
  smtpFrom?: string;
  smtpReplyTo?: string;
}

/** Refused when e-mail is not configured, or when the SMTP server did not accept the message. */
export class MailError extends Error {
  constructor(
    readonly code: 'email_not_configured' | 'email_failed',
    message: string,
  ) {
    super(message);
    this.name = 'MailError';
  }
}

const SEND_TIMEOUT_MS = 15_000;

export function createMailer(settings: MailSettings): Mailer {
  const { smtpUrl, smtpFrom, smtpReplyTo } = settings;
  if (!smtpUrl || !smtpFrom) {
    return {
      configured: false,
      send: async () => {
        throw new MailError('email_not_configured', 'E-mail is not configured: set ATENTO_SMTP_URL and ATENTO_SMTP_FROM.');
      },
      close: () => {},
    };
  }
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: SEND_TIMEOUT_MS,
    greetingTimeout: SEND_TIMEOUT_MS,
    socketTimeout: SEND_TIMEOUT_MS,
  });
  return {
    configured: true,
    async send(mail) {
      try {
        await transport.sendMail({ from: smtpFrom, replyTo: smtpReplyTo ?? smtpFrom, to: mail.to, subject: mail.subject, text: mail.text });
      } catch (error) {
        // The SMTP server's own words (never the URL, which holds the password).
        const reason = (error as { response?: string }).response ?? (error as Error).message;
        throw new MailError('email_failed', `The mail server did not accept the message: ${reason}`);
      }
    },
    close: () => transport.close(),
  };
}
