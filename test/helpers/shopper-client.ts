import WebSocket from 'ws';

export type Frame = { type: string; [key: string]: unknown };

/**
 * A shopper's socket as a real `ws` client: frames queue up in order and a test awaits the next one
 * of a given type. Waiting is bounded by jest's timeout, never by sleeps.
 */
export class ShopperClient {
  readonly frames: Frame[] = [];
  private readonly waiters: Array<{ match: (frame: Frame) => boolean; resolve: (frame: Frame) => void }> = [];
  private cursor = 0;
  closed: { code: number; reason: string } | null = null;
  private readonly closeWaiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      this.frames.push(frame);
      this.flush();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.closeWaiters.splice(0).forEach((resolve) => resolve());
    });
  }

  static connect(url: string, options: WebSocket.ClientOptions = {}): Promise<ShopperClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, options);
      const client = new ShopperClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  send(frame: object | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame not yet consumed, optionally of one type (frames of other types are skipped). */
  next(type?: string): Promise<Frame> {
    const match = (frame: Frame) => type === undefined || frame.type === type;
    return new Promise((resolve) => {
      this.waiters.push({ match, resolve });
      this.flush();
    });
  }

  /** Sends hello and returns the welcome frame. */
  async hello(fields: { token?: string; lastSeenId?: number; lang?: 'es' | 'en'; page?: string; user?: object } = {}): Promise<Frame> {
    this.send({ type: 'hello', ...fields });
    return this.next('welcome');
  }

  /** Sends a message; resolves with its ack and the bot's reply. */
  async ask(text: string, clientMessageId = `c-${Math.random().toString(36).slice(2)}`): Promise<{ ack: Frame; reply: Frame }> {
    this.send({ type: 'message', clientMessageId, text });
    const ack = await this.next('ack');
    const reply = await this.nextMessageFrom('bot');
    return { ack, reply };
  }

  async nextMessageFrom(from: string): Promise<Frame> {
    for (;;) {
      const frame = await this.next('message');
      if (frame.from === from) return frame;
    }
  }

  /** Frames received so far that no next() consumed, after the server has answered a ping. */
  async unread(): Promise<Frame[]> {
    await new Promise<void>((resolve) => {
      this.ws.once('pong', () => resolve());
      this.ws.ping();
    });
    return this.frames.slice(this.cursor);
  }

  waitForClose(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const done = this.waitForClose();
    this.ws.close();
    return done;
  }

  private flush(): void {
    while (this.waiters.length > 0 && this.cursor < this.frames.length) {
      const frame = this.frames[this.cursor++]!;
      const index = this.waiters.findIndex((waiter) => waiter.match(frame));
      if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(frame);
    }
  }
}

/** A Spanish-speaking shopper who has just written "quiero hablar con una persona". */
export async function shopperAskingForAPerson(socketUrl: string): Promise<ShopperClient> {
  const shopper = await ShopperClient.connect(socketUrl);
  await shopper.hello({ lang: 'es' });
  shopper.send({ type: 'message', clientMessageId: 'p1', text: 'quiero hablar con una persona' });
  return shopper;
}
