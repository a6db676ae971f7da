import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A provider's outbound API (Twilio's Messages, Facebook's Send API) on loopback: it records every request
 * Atento makes and answers like the provider does, so a test reads exactly what would have been sent.
 */
export interface ProviderRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** Form fields (Twilio) or the JSON body (Facebook). */
  body: Record<string, unknown>;
}

export class FakeProvider {
  readonly requests: ProviderRequest[] = [];
  /** The next requests are refused with this HTTP status and error body (as the provider would), then this resets. */
  refuseNext: { status: number; body: object } | null = null;
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeProvider> {
    let provider: FakeProvider | undefined;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const url = new URL(req.url ?? '/', 'http://fake');
        const isJson = (req.headers['content-type'] ?? '').includes('json');
        const body = isJson ? (JSON.parse(raw) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(raw));
        provider!.requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body });
        provider!.waiters.splice(0).forEach((wake) => wake());
        res.setHeader('content-type', 'application/json');
        const refusal = provider!.refuseNext;
        provider!.refuseNext = null;
        if (refusal) res.writeHead(refusal.status).end(JSON.stringify(refusal.body));
        else if (isJson) res.end(JSON.stringify({ recipient_id: 'psid', message_id: `m_${provider!.requests.length}` }));
        else res.writeHead(201).end(JSON.stringify({ sid: `SM${crypto.randomBytes(16).toString('hex')}`, status: 'queued' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    provider = new FakeProvider(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return provider;
  }

  /** Waits until `count` requests have arrived since `from` (an index into `requests`) and returns them. */
  async waitFor(count: number, from = 0, timeoutMs = 5000): Promise<ProviderRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length - from < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} provider requests, got ${this.requests.length - from}: ${JSON.stringify(this.requests.slice(from).map((r) => r.body))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.requests.slice(from, from + count);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** X-Twilio-Signature as Twilio computes it: base64 HMAC-SHA1 of the URL followed by each sorted name and value. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = url + Object.keys(params).sort().map((name) => name + params[name]).join('');
  return crypto.createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** X-Hub-Signature-256 as Facebook computes it: "sha256=" and the hex HMAC-SHA256 of the raw body with the app secret. */
export function facebookSignature(appSecret: string, rawBody: string): string {
  return `sha256=${crypto.createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}
