import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventBus } from '../events';

/**
 * Prometheus metrics (prom-client), one registry per app so tests can run several apps in a process.
 * Counters follow the event bus; gauges are read when Prometheus scrapes.
 */

export interface MetricsSources {
  events: EventBus;
  pendingTurns: () => number;
  sockets: () => { shopper: number; agent: number };
}

export interface Metrics {
  readonly registry: Registry;
  /** Seconds from a shopper message's arrival to the bot's answer being stored. */
  observeAnswer(seconds: number): void;
  /** Seconds one group commit took. */
  observeCommit(seconds: number): void;
  close(): void;
}

export function createMetrics({ events, pendingTurns, sockets }: MetricsSources): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'atento_' });
  const messages = new Counter({ name: 'atento_messages_total', help: 'Stored messages, by sender (shopper in; bot and agent out).', labelNames: ['sender'], registers: [registry] });
  const answers = new Counter({ name: 'atento_bot_answers_total', help: 'Bot messages, by action (answer, clarify, escalate, fallback, or none for handoff texts).', labelNames: ['action'], registers: [registry] });
  const handoffs = new Counter({ name: 'atento_handoffs_total', help: 'Requests for a person, by reason (button, an intent or FAQ id, low-confidence…).', labelNames: ['reason'], registers: [registry] });
  const shed = new Counter({ name: 'atento_shed_total', help: 'Shopper messages refused with busy (load shedding), not stored.', registers: [registry] });
  const answerLatency = new Histogram({
    name: 'atento_answer_seconds',
    help: 'From a shopper message read off the socket to the bot answer stored (queue wait included).',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5],
    registers: [registry],
  });
  const commit = new Histogram({ name: 'atento_store_commit_seconds', help: 'Duration of one group commit to SQLite.', buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1], registers: [registry] });
  new Gauge({ name: 'atento_pending_turns', help: 'Shopper turns queued or running.', registers: [registry], collect() { this.set(pendingTurns()); } });
  new Gauge({
    name: 'atento_open_sockets',
    help: 'Open WebSocket connections, by kind.',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const open = sockets();
      this.set({ kind: 'shopper' }, open.shopper);
      this.set({ kind: 'agent' }, open.agent);
    },
  });
  const unsubscribe = [
    events.on('message.created', ({ message }) => {
      if (message.kind === 'note') return;
      messages.inc({ sender: message.sender });
      if (message.sender === 'bot') answers.inc({ action: message.action ?? 'none' });
    }),
    events.on('conversation.handoff_requested', ({ reason }) => handoffs.inc({ reason })),
    events.on('message.shed', () => shed.inc()),
  ];
  return {
    registry,
    observeAnswer: (seconds) => answerLatency.observe(seconds),
    observeCommit: (seconds) => commit.observe(seconds),
    close: () => unsubscribe.forEach((off) => off()),
  };
}

/**
 * GET /metrics, only with `Authorization: Bearer <metrics.token>`: the figures say how busy the shop
 * is and are nobody else's business. Compared in constant time.
 */
export function metricsRoute(metrics: Metrics, token: string): RequestHandler {
  const expected = crypto.createHash('sha256').update(token).digest();
  return (req, res, next) => {
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
    if (!crypto.timingSafeEqual(crypto.createHash('sha256').update(given).digest(), expected)) {
      res.set('WWW-Authenticate', 'Bearer realm="atento metrics"');
      return void res.status(401).type('text/plain').send('Send the metrics token as "Authorization: Bearer <token>" (metrics.token).\n');
    }
    metrics.registry.metrics().then((body) => res.type(metrics.registry.contentType).send(body), next);
  };
}
